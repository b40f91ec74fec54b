package dev.bastion.localengine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * How the engine worker is confined, from outside: a cgroup with memory and CPU limits that it joins before it
 * runs, no root (a gateway running as root drops the worker to an unprivileged user), no-new-privileges, and a user
 * plus network namespace of its own. The worker then locks itself down further (seccomp, Landlock, capabilities;
 * the engine's {@code Lockdown}) and reports every protection, which the supervisor logs.
 *
 * <p>Launch: {@code sh -c 'join cgroups; exec "$@"' → setpriv → unshare --user --net → java}, one pid throughout.
 */
final class WorkerSandbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WorkerSandbox.class.getName());
    private static final String JOIN = "for f in $BASTION_CGROUP_PROCS; do echo $$ > \"$f\" || exit 69; done; exec \"$@\"";

    /**
     * @param mode         REQUIRED: the worker refuses to serve unless every protection holds; BEST_EFFORT: it
     *                     serves and each missing protection is logged as a warning; OFF: only the network namespace
     * @param memoryMb     cgroup memory limit (0: heap + model file + 512 MiB)
     * @param cpus         cgroup CPU quota in CPUs (0: the worker's thread count)
     * @param user         the unprivileged user a root gateway runs the worker as (name or uid; null: nobody)
     */
    record Settings(Mode mode, long memoryMb, double cpus, int pidsMax, String user) {
        static Settings defaults() { return new Settings(Mode.REQUIRED, 0, 0, 512, null); }
    }

    enum Mode { REQUIRED, BEST_EFFORT, OFF }

    private final Settings settings;
    private WorkerCgroup cgroup;
    private int uid = -1;
    private int gid = -1;
    private final List<String> problems = new ArrayList<>();

    WorkerSandbox(Settings settings) { this.settings = settings; }

    Settings settings() { return settings; }

    WorkerCgroup cgroup() { return cgroup; }

    /** What could not be set up from outside (empty when everything could). */
    List<String> problems() { return List.copyOf(problems); }

    /**
     * Creates the cgroup, picks the worker's user, hands it the run directory, and checks in the sandbox itself
     * that the worker will be able to read the engine and the model.
     *
     * @return null when the worker can be launched, else why not
     */
    String prepare(LocalEngineConfig config) {
        if (settings.mode() == Mode.OFF) return null;
        long memory = (settings.memoryMb() > 0 ? settings.memoryMb()
                : config.heapMb() + size(config.model()) / (1024 * 1024) + 512) * 1024 * 1024;
        double cpus = settings.cpus() > 0 ? settings.cpus() : config.threads();
        try {
            cgroup = WorkerCgroup.create("bastion-engine-" + ProcessHandle.current().pid() + "-"
                    + config.runDir().getFileName(), memory, cpus, settings.pidsMax());
        } catch (WorkerCgroup.Unavailable e) {
            problems.add("no memory/CPU limit: " + e.getMessage());
        }
        if (isRoot()) {
            try {
                resolveUser(settings.user() == null ? "nobody" : settings.user());
                var owner = config.runDir().getFileSystem().getUserPrincipalLookupService();
                PosixFileAttributeView view = Files.getFileAttributeView(config.runDir(), PosixFileAttributeView.class);
                view.setOwner(owner.lookupPrincipalByName(Integer.toString(uid)));
                view.setGroup(owner.lookupPrincipalByGroupName(Integer.toString(gid)));
            } catch (IOException e) {
                return "cannot run the worker as an unprivileged user: " + e.getMessage();
            }
        }
        String unreadable = preflight(config);
        if (unreadable != null) return unreadable;
        if (settings.mode() == Mode.REQUIRED && !problems.isEmpty()) return String.join("; ", problems);
        problems.forEach(p -> LOG.warning("engine worker NOT PROTECTED: " + p));
        return null;
    }

    /**
     * Where a worker's run directory (socket and log) goes. Normally {@code preferred}, inside the gateway's data
     * directory; but a root gateway runs the worker as another user, who cannot traverse the (owner-only) data
     * directory, so the run directory moves to a root-owned, traverse-only base directory in the temporary
     * directory (checked not to be a link or someone else's).
     */
    static Path runDirectory(Path preferred, Settings settings) {
        if (settings.mode() == Mode.OFF || !isRoot()) return preferred;
        try {
            String id = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(preferred.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8)), 0, 6);
            Path base = Path.of(System.getProperty("java.io.tmpdir"), "bastion-engine-" + id);
            try {
                Files.createDirectory(base);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // checked below
            }
            var attrs = Files.readAttributes(base, java.nio.file.attribute.PosixFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isDirectory() || !attrs.owner().getName().equals("root")) return preferred;
            Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            return base.resolve(preferred.getFileName());
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return preferred;
        }
    }

    /** The full command: sandbox prefix, then the worker's own command line with its lock-down mode. */
    List<String> command(LocalEngineConfig config) {
        List<String> cmd = new ArrayList<>(prefix(config.isolation() == LocalEngineConfig.Isolation.REQUIRED));
        cmd.addAll(config.workerCommand());
        cmd.addAll(List.of("--lockdown", switch (settings.mode()) {
            case REQUIRED -> "required";
            case BEST_EFFORT -> "best-effort";
            case OFF -> "off";
        }));
        return cmd;
    }

    /** The environment the worker gets: the cgroup list and a fixed PATH; nothing inherited from the gateway. */
    void environment(java.util.Map<String, String> env) {
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        if (cgroup != null) {
            env.put("BASTION_CGROUP_PROCS", String.join(" ", cgroup.procsFiles().stream().map(Path::toString).toList()));
        }
    }

    private List<String> prefix(boolean isolated) {
        List<String> p = new ArrayList<>();
        if (settings.mode() == Mode.OFF) {
            if (isolated) p.addAll(List.of(tool("unshare"), "--net", "--"));
            return p;
        }
        if (cgroup != null) p.addAll(List.of("/bin/sh", "-c", JOIN, "sh"));
        p.add(tool("setpriv"));
        if (uid >= 0) p.addAll(List.of("--reuid=" + uid, "--regid=" + gid, "--clear-groups"));
        p.addAll(List.of("--no-new-privs", "--"));
        if (isolated) p.addAll(List.of(tool("unshare"), "--user", "--net", "--"));
        return p;
    }

    /** Runs the sandbox prefix around a shell that lists what the worker could not read. */
    private String preflight(LocalEngineConfig config) {
        List<String> cmd = new ArrayList<>(prefix(config.isolation() == LocalEngineConfig.Isolation.REQUIRED));
        cmd.addAll(List.of("/bin/sh", "-c", "for f; do [ -r \"$f\" ] || echo \"$f\"; done; [ -w \"$0\" ] || echo \"$0\"",
                config.runDir().toString(), config.javaBin().toString(), config.model().toString()));
        cmd.addAll(List.of(config.classpath().split(java.io.File.pathSeparator)));
        List<String> extra = config.extraArgs();
        for (int i = 0; i + 1 < extra.size(); i++) if (extra.get(i).equals("--lora")) cmd.add(extra.get(i + 1));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(config.runDir().toFile());
            environment(pb.environment());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "the sandbox check did not finish";
            }
            if (p.exitValue() != 0) {
                return "the worker sandbox cannot be entered here (exit " + p.exitValue() + ": " + out + ")";
            }
            if (!out.isEmpty()) {
                return "the worker (uid " + (uid >= 0 ? uid : "of the gateway") + ") cannot use: "
                        + out.replace('\n', ',');
            }
            return null;
        } catch (IOException e) {
            return "the worker sandbox cannot be started: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private void resolveUser(String user) throws IOException {
        if (user.matches("\\d+")) {
            uid = Integer.parseInt(user);
            gid = uid;
            return;
        }
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] f = line.split(":");
            if (f.length > 3 && f[0].equals(user)) {
                uid = Integer.parseInt(f[2]);
                gid = Integer.parseInt(f[3]);
                if (uid == 0) throw new IOException("engine user '" + user + "' is root");
                return;
            }
        }
        throw new IOException("no user '" + user + "' in /etc/passwd");
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    static String tool(String name) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, name))) return dir + "/" + name;
        }
        return name;
    }

    @Override
    public void close() {
        if (cgroup != null) cgroup.close();
    }

}
