package dev.bastion.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Runs an unpacked image the way a container runtime would: runc when it is installed (Debian's {@code runc}),
 * in a user namespace that maps the container's ids to unprivileged host ids 100000–165535, no capabilities,
 * {@code noNewPrivileges}, read-only root, its own pid/mount/ipc/uts namespaces (the host network, so the test can
 * reach the port); otherwise {@code unshare} + {@code chroot} with a read-only bind of the root. Either way the only
 * writable paths are {@code /data} and {@code /tmp}, as in the Kubernetes templates.
 */
final class ContainerRun implements AutoCloseable {
    static final long HOST_ID_BASE = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String runcId;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<URI> serving = new CompletableFuture<>();
    final boolean runc;

    private ContainerRun(Process process, String runcId) {
        this.process = process;
        this.runcId = runcId;
        this.runc = runcId != null;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.append(line).append('\n');
                    if (line.startsWith("Bastion is serving on ")) {
                        serving.complete(URI.create(line.substring(22).split(" ")[0]));
                    }
                }
            } catch (IOException e) {
                serving.completeExceptionally(e);
            }
            serving.completeExceptionally(new IllegalStateException("container exited before serving:\n" + output));
        });
    }

    /**
     * Waits for the server's "serving" line (printed once it listens, after its engine workers are ready) and returns
     * the address it names: start with {@code BASTION_SERVER_PORT=0} and no port can be taken by someone else first.
     */
    URI awaitServing(Duration limit) throws Exception {
        try {
            return serving.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not serving within " + limit + ":\n" + output);
        }
    }

    static boolean runcInstalled() {
        return executable("runc") != null;
    }

    /**
     * @param args replaces the image's {@code Cmd} when non-empty
     */
    static ContainerRun start(Path work, Path rootfs, JsonNode imageConfig, Map<String, String> env, List<String> args)
            throws IOException {
        JsonNode c = imageConfig.path("config");
        List<String> argv = new ArrayList<>();
        c.path("Entrypoint").forEach(a -> argv.add(a.asText()));
        if (args.isEmpty()) c.path("Cmd").forEach(a -> argv.add(a.asText()));
        else argv.addAll(args);
        Map<String, String> environment = new TreeMap<>();
        c.path("Env").forEach(e -> {
            String s = e.asText();
            environment.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        });
        environment.putAll(env);
        String[] user = c.path("User").asText().split(":");
        int uid = Integer.parseInt(user[0]);
        int gid = Integer.parseInt(user[1]);
        // the runtime reaches the root as the mapped, unprivileged id: the (0700) temporary directories must let it
        for (Path d : List.of(work, rootfs)) Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = Files.createDirectories(work.resolve("data"));
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        String runcBin = executable("runc");
        long owner = runcBin != null ? HOST_ID_BASE + uid : uid;
        Files.setAttribute(data, "unix:uid", (int) owner);
        Files.setAttribute(data, "unix:gid", (int) (runcBin != null ? HOST_ID_BASE + gid : gid));
        Files.setAttribute(tmp, "unix:uid", (int) owner);
        Files.setAttribute(tmp, "unix:gid", (int) (runcBin != null ? HOST_ID_BASE + gid : gid));
        if (runcBin != null) {
            Path bundle = Files.createDirectories(work.resolve("bundle"));
            Files.writeString(bundle.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                    runcConfig(rootfs, argv, environment, c.path("WorkingDir").asText("/"), uid, gid, data, tmp)));
            String id = "bastion-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            Process p = new ProcessBuilder(runcBin, "run", "--bundle", bundle.toString(), id)
                    .redirectErrorStream(true).start();
            return new ContainerRun(p, id);
        }
        // fallback: a private mount and pid namespace, the root bound read-only, then chroot as the image's user
        String script = String.join(" && ",
                "mount --bind \"$R\" \"$R\"", "mount -o remount,bind,ro \"$R\"",
                "mount -t proc proc \"$R/proc\"", "mount --rbind /sys \"$R/sys\"", "mount -o remount,bind,ro \"$R/sys\"",
                "mount -t tmpfs -o mode=755 tmpfs \"$R/dev\"",
                "for d in null zero random urandom; do touch \"$R/dev/$d\"; mount --bind /dev/$d \"$R/dev/$d\"; done",
                "mount --bind \"$DATA\" \"$R/data\"", "mount --bind \"$TMPD\" \"$R/tmp\"",
                "cd \"$R\"", "exec /usr/sbin/chroot --userspec=" + uid + ":" + gid + " \"$R\" /usr/bin/env -i \"$@\"");
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child",
                "bash", "-c", script, "container"));
        environment.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(Map.of("R", rootfs.toString(), "DATA", data.toString(), "TMPD", tmp.toString()));
        return new ContainerRun(pb.start(), null);
    }

    private static ObjectNode runcConfig(Path rootfs, List<String> argv, Map<String, String> env, String cwd,
                                         int uid, int gid, Path data, Path tmp) {
        ObjectNode c = JSON.createObjectNode().put("ociVersion", "1.0.2");
        c.putObject("root").put("path", rootfs.toString()).put("readonly", true);
        ObjectNode p = c.putObject("process").put("terminal", false).put("cwd", cwd).put("noNewPrivileges", true);
        p.putObject("user").put("uid", uid).put("gid", gid);
        ArrayNode a = p.putArray("args");
        argv.forEach(a::add);
        ArrayNode e = p.putArray("env");
        env.forEach((k, v) -> e.add(k + "=" + v));
        ObjectNode caps = p.putObject("capabilities"); // none at all
        for (String set : List.of("bounding", "effective", "inheritable", "permitted", "ambient")) caps.putArray(set);
        ArrayNode mounts = c.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
        mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
        mount(mounts, "/data", "bind", data.toString(), "rbind", "rw", "nosuid", "nodev");
        mount(mounts, "/tmp", "bind", tmp.toString(), "rbind", "rw", "nosuid", "nodev");
        // every real runtime (Docker, containerd, CRI-O) gives the container a read-only /sys; ONNX Runtime reads the
        // CPU topology there. Without a network namespace sysfs cannot be mounted afresh, so the host's is bound
        mount(mounts, "/sys", "bind", "/sys", "rbind", "ro", "nosuid", "noexec", "nodev");
        ObjectNode linux = c.putObject("linux");
        ArrayNode ns = linux.putArray("namespaces");
        for (String t : List.of("pid", "ipc", "uts", "mount", "user")) ns.addObject().put("type", t);
        for (String m : List.of("uidMappings", "gidMappings")) {
            linux.putArray(m).addObject().put("containerID", 0).put("hostID", HOST_ID_BASE).put("size", 65536);
        }
        ArrayNode masked = linux.putArray("maskedPaths");
        for (String m : List.of("/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug")) masked.add(m);
        ArrayNode ro = linux.putArray("readonlyPaths");
        for (String m : List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger")) ro.add(m);
        return c;
    }

    private static void mount(ArrayNode mounts, String dest, String type, String source, String... options) {
        ObjectNode m = mounts.addObject().put("destination", dest).put("type", type).put("source", source);
        ArrayNode o = m.putArray("options");
        for (String s : options) o.add(s);
    }

    private static String executable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/sbin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin")) {
            if (Files.isExecutable(Path.of(dir, name))) return dir + "/" + name;
        }
        return null;
    }

    String output() {
        return output.toString();
    }

    /** Pid (in the host's pid namespace) of the image's process, i.e. the JVM (runc only). */
    long containerPid() throws IOException, InterruptedException {
        Process st = new ProcessBuilder("runc", "state", runcId).redirectErrorStream(true).start();
        JsonNode state = JSON.readTree(st.getInputStream().readAllBytes());
        st.waitFor();
        return state.path("pid").asLong();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (runcId != null) {
            new ProcessBuilder("runc", "kill", runcId, "TERM").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            if (!process.waitFor(Duration.ofSeconds(40).toMillis(), TimeUnit.MILLISECONDS)) {
                new ProcessBuilder("runc", "kill", runcId, "KILL").start().waitFor();
            }
            new ProcessBuilder("runc", "delete", "-f", runcId).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
