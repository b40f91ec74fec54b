package dev.bastion.testing;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Linux network namespaces for tests (root only): created and removed with {@code ip netns}, entered by one
 * platform thread at a time through {@code setns(2)}. A socket belongs to the namespace of the thread that created
 * it, so a listener or client socket made inside {@link #call} lives in that namespace for good, whichever thread
 * later uses it. Nothing here skips: a machine that cannot do this fails the test that needs it.
 */
public final class NetNs implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final MethodHandle OPEN;
    private static final MethodHandle SETNS;
    private static final MethodHandle CLOSE;

    static {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        OPEN = linker.downcallHandle(libc.find("open").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        SETNS = linker.downcallHandle(libc.find("setns").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        CLOSE = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    public final String name;

    private NetNs(String name) {
        this.name = name;
    }

    /** {@code ip netns add NAME} with its loopback up; the name is made unique per test process. */
    public static NetNs create(String prefix) throws IOException, InterruptedException {
        NetNs ns = new NetNs(prefix + "-" + ProcessHandle.current().pid());
        run("ip", "netns", "del", ns.name); // a leftover of a killed earlier run of this process id
        must("ip", "netns", "add", ns.name);
        must("ip", "-n", ns.name, "link", "set", "lo", "up");
        return ns;
    }

    /** Runs a command in this namespace ({@code ip netns exec}), failing on a non-zero exit. */
    public void exec(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        must(cmd.toArray(String[]::new));
    }

    /** The prefix that runs a process in this namespace. */
    public List<String> prefix() { return List.of("ip", "netns", "exec", name); }

    /**
     * {@code /etc/netns/NAME/hosts}: what processes started through {@link #prefix()} see as {@code /etc/hosts}
     * (ip netns exec bind-mounts it), so a test controls their DNS answers.
     */
    public void hosts(String content) throws IOException {
        Path dir = Path.of("/etc/netns", name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("hosts"), content, StandardCharsets.US_ASCII);
    }

    /** Runs {@code work} on a fresh platform thread that has entered this namespace. */
    public <T> T call(Callable<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("netns-" + name).start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment path = arena.allocateFrom("/run/netns/" + name);
                int fd = (int) OPEN.invokeExact(path, 0);
                if (fd < 0) throw new IOException("cannot open /run/netns/" + name);
                int rc = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
                int ignored = (int) CLOSE.invokeExact(fd);
                if (rc != 0) throw new IOException("setns into " + name + " failed");
                result.set(work.call());
            } catch (Exception e) {
                failure.set(e);
            } catch (Throwable e) {
                failure.set(new IllegalStateException(e));
            }
        });
        t.join();
        if (failure.get() != null) throw failure.get();
        return result.get();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("ip", "netns", "del", name);
        TestFiles.deleteTree(Path.of("/etc/netns", name));
    }

    /** Runs a command; fails with its output when it exits non-zero. */
    public static void must(String... command) throws IOException, InterruptedException {
        Result r = run(command);
        if (r.exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + r.exit + ": " + r.output);
        }
    }

    /** Runs a command to completion (at most a minute) and returns its exit code and output. */
    public static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        return new Result(p.exitValue(), out);
    }

    public record Result(int exit, String output) {}
}
