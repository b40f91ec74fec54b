package dev.bastion.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Tests only ({@code --escape-probes true}): attempts to break out of the lock-down from inside the running worker,
 * on a request thread, exactly where an exploited model parser would be. Each answers whether the attempt was
 * blocked and how; none of them is reachable in a production worker.
 */
final class EscapeProbes {
    private EscapeProbes() {}

    static ObjectNode run(String probe, ObjectNode args, EngineConfig config) {
        ObjectNode out = Json.object().put("probe", probe);
        try {
            String got = switch (probe) {
                case "socket" -> socket(args.path("port").asInt(9));
                case "exec" -> exec();
                case "write-model" -> writeModel(config);
                case "memory" -> memory(args.path("mb").asInt(64));
                case "cpu" -> cpu(args.path("ms").asInt(1000), args.path("threads").asInt(2));
                default -> throw new IllegalArgumentException("no such probe");
            };
            return out.put("blocked", false).put("detail", got);
        } catch (Throwable t) {
            return out.put("blocked", true).put("detail", t.getClass().getSimpleName() + ": " + t.getMessage());
        }
    }

    /** Opens a TCP socket and connects to the host's loopback port. */
    private static String socket(int port) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.INET)) {
            ch.connect(new InetSocketAddress("127.0.0.1", port));
            return "connected to 127.0.0.1:" + port;
        }
    }

    private static String exec() throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "id").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return "ran a shell: " + out;
    }

    private static String writeModel(EngineConfig config) throws Exception {
        try (OutputStream o = Files.newOutputStream(config.model(), StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            return "opened the model for writing";
        }
    }

    /** Allocates and touches native memory, a page at a time. */
    private static String memory(int mb) {
        Arena arena = Arena.ofShared(); // never closed: the point is to keep it
        List<MemorySegment> kept = new ArrayList<>();
        for (int i = 0; i < mb; i++) {
            MemorySegment s = arena.allocate(1 << 20);
            for (long off = 0; off < s.byteSize(); off += 4096) s.set(ValueLayout.JAVA_BYTE, off, (byte) 1);
            kept.add(s);
        }
        return "holds " + kept.size() + " MiB";
    }

    /** Spins {@code threads} threads for {@code ms} of wall time and answers the CPU time they got. */
    private static String cpu(int ms, int threads) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long end = System.nanoTime() + ms * 1_000_000L;
        List<Thread> spinners = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                long x = 0;
                while (System.nanoTime() < end) x += System.identityHashCode(this_());
                if (x == 42) System.err.print("");
            });
            t.start();
            spinners.add(t);
        }
        for (Thread t : spinners) t.join();
        return Long.toString((os.getProcessCpuTime() - cpuBefore) / 1_000_000);
    }

    private static Object this_() { return EscapeProbes.class; }
}
