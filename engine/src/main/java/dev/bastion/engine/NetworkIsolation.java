package dev.bastion.engine;

import java.io.IOException;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether this process can reach a network, and how to get into one where it cannot. Isolation is a network
 * namespace with no interface but loopback (created by {@code unshare --net}); the Unix socket the worker serves on
 * is a file and keeps working across namespaces.
 */
public final class NetworkIsolation {
    /** Set in the environment of a worker re-executed under unshare, so it never tries twice. */
    static final String REEXEC_MARKER = "BASTION_ENGINE_UNSHARED";

    private NetworkIsolation() {}

    /**
     * Names of interfaces other than loopback in this process's network namespace; empty means no network. Read
     * from {@code /proc/self/net/dev}, which lists every interface of the namespace whatever its state (Java's
     * {@code NetworkInterface} only sees interfaces with addresses, and throws when there are none).
     */
    public static List<String> nonLoopbackInterfaces() throws IOException {
        List<String> names = new ArrayList<>();
        Path dev = Path.of("/proc/self/net/dev");
        if (Files.isReadable(dev)) {
            List<String> lines = Files.readAllLines(dev);
            for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String name = line.substring(0, colon).strip();
                if (!name.equals("lo")) names.add(name);
            }
            return names;
        }
        var it = NetworkInterface.getNetworkInterfaces();
        while (it != null && it.hasMoreElements()) {
            NetworkInterface ni = it.nextElement();
            if (!ni.isLoopback()) names.add(ni.getName());
        }
        return names;
    }

    public static boolean isolated() {
        try {
            return nonLoopbackInterfaces().isEmpty();
        } catch (IOException e) {
            return false; // cannot tell: assume networked (fail closed)
        }
    }

    /** The unshare binary, if installed. */
    public static Optional<Path> unshareBinary() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Path.of(dir, "unshare");
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /**
     * Runs this same JVM command again inside a fresh network namespace and returns its exit code. The current
     * process only waits: the supervisor should prefer to launch under unshare directly, which avoids this hop.
     */
    static int reexecIsolated() throws IOException, InterruptedException {
        Path unshare = unshareBinary().orElseThrow(() -> new IOException("unshare is not installed"));
        ProcessHandle.Info info = ProcessHandle.current().info();
        String java = info.command().orElseThrow(() -> new IOException("cannot tell own command"));
        String[] args = info.arguments().orElseThrow(() -> new IOException("cannot tell own arguments"));
        List<String> cmd = new ArrayList<>();
        cmd.add(unshare.toString());
        cmd.add("--net");
        cmd.add("--");
        cmd.add(java);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put(REEXEC_MARKER, "1");
        Process child = pb.start();
        // a SIGTERM to this process stops the child in order and exits with its code
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            child.destroy();
            try {
                if (!child.waitFor(10, TimeUnit.SECONDS)) child.destroyForcibly().waitFor();
                Runtime.getRuntime().halt(child.exitValue());
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
        }, "engine-reexec-stop"));
        int code = child.waitFor();
        // unshare itself fails with 1 (no permission, no namespace support): report that as "isolation unavailable"
        return code == 1 ? ExitCodes.UNAVAILABLE : code;
    }

    static boolean reexecuted() {
        return "1".equals(System.getenv(REEXEC_MARKER));
    }
}
