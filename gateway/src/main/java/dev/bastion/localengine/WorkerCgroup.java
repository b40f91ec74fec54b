package dev.bastion.localengine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cgroup for one engine worker with a memory and a CPU limit (and a cap on tasks). cgroup v2 when this process's
 * unified cgroup offers the memory and cpu controllers to its children (a delegated subtree); otherwise the v1
 * memory, cpu and pids hierarchies where the machine still mounts them and they are writable. The worker joins
 * before it executes anything ({@link #procsFiles()}), so nothing it allocates escapes the limit.
 */
final class WorkerCgroup implements AutoCloseable {
    private final String version;
    private final List<Path> dirs;
    private final String describe;

    private WorkerCgroup(String version, List<Path> dirs, String describe) {
        this.version = version;
        this.dirs = List.copyOf(dirs);
        this.describe = describe;
    }

    /** Thrown when no usable cgroup can be made here; the message says what was found. */
    static final class Unavailable extends Exception {
        Unavailable(String why) { super(why, null, false, false); }
    }

    static WorkerCgroup create(String name, long memoryBytes, double cpus, int pidsMax) throws Unavailable {
        CgroupMounts mounts = CgroupMounts.read();
        String v2Why;
        try {
            return v2(mounts, name, memoryBytes, cpus, pidsMax);
        } catch (Unavailable e) {
            v2Why = e.getMessage();
        }
        try {
            return v1(mounts, name, memoryBytes, cpus, pidsMax, v2Why);
        } catch (Unavailable e) {
            throw new Unavailable(v2Why + "; " + e.getMessage());
        }
    }

    private static WorkerCgroup v2(CgroupMounts m, String name, long memory, double cpus, int pids) throws Unavailable {
        if (m.unifiedMount() == null || m.unifiedPath() == null) throw new Unavailable("no cgroup v2 hierarchy");
        Path own = m.unifiedMount().resolve(rel(m.unifiedPath()));
        String offered = read(own.resolve("cgroup.subtree_control"));
        if (offered == null || !words(offered).containsAll(List.of("memory", "cpu"))) {
            throw new Unavailable("cgroup v2 " + own + " does not delegate memory and cpu to children (controllers: "
                    + read(own.resolve("cgroup.controllers")) + ")");
        }
        Path dir = own.resolve(name);
        try {
            Files.createDirectories(dir);
            write(dir.resolve("memory.max"), Long.toString(memory));
            if (Files.exists(dir.resolve("memory.swap.max"))) write(dir.resolve("memory.swap.max"), "0");
            write(dir.resolve("cpu.max"), quota(cpus) + " 100000");
            if (Files.exists(dir.resolve("pids.max"))) write(dir.resolve("pids.max"), Integer.toString(pids));
        } catch (IOException e) {
            throw new Unavailable("cannot configure cgroup v2 " + dir + ": " + e.getClass().getSimpleName());
        }
        return new WorkerCgroup("v2", List.of(dir), "cgroup v2 " + dir);
    }

    private static WorkerCgroup v1(CgroupMounts m, String name, long memory, double cpus, int pids, String v2Why)
            throws Unavailable {
        Path mem = m.v1("memory");
        Path cpu = m.v1("cpu");
        if (mem == null || cpu == null) throw new Unavailable("no cgroup v1 memory and cpu hierarchies either");
        List<Path> dirs = new ArrayList<>();
        try {
            Path memDir = Files.createDirectories(mem.resolve(name));
            dirs.add(memDir);
            write(memDir.resolve("memory.limit_in_bytes"), Long.toString(memory));
            if (Files.exists(memDir.resolve("memory.memsw.limit_in_bytes"))) {
                write(memDir.resolve("memory.memsw.limit_in_bytes"), Long.toString(memory));
            }
            Path cpuDir = Files.createDirectories(cpu.resolve(name));
            dirs.add(cpuDir);
            write(cpuDir.resolve("cpu.cfs_period_us"), "100000");
            write(cpuDir.resolve("cpu.cfs_quota_us"), Long.toString(quota(cpus)));
            Path pid = m.v1("pids");
            if (pid != null) {
                Path pidDir = Files.createDirectories(pid.resolve(name));
                dirs.add(pidDir);
                write(pidDir.resolve("pids.max"), Integer.toString(pids));
            }
        } catch (IOException e) {
            new WorkerCgroup("v1", dirs, "").close();
            throw new Unavailable("cannot configure cgroup v1 under " + mem + ": " + e.getClass().getSimpleName());
        }
        return new WorkerCgroup("v1", dirs, "cgroup v1 (v2 unusable here: " + v2Why + ") " + dirs.getFirst());
    }

    String version() { return version; }

    /** The {@code cgroup.procs} files the worker writes its pid to before executing the engine. */
    List<Path> procsFiles() { return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList(); }

    /** OOM kills in this cgroup so far (v2 memory.events oom_kill; v1 memory.oom_control oom_kill). */
    long oomKills() {
        Path d = dirs.getFirst();
        String events = read(d.resolve(version.equals("v2") ? "memory.events" : "memory.oom_control"));
        if (events == null) return -1;
        for (String line : events.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals("oom_kill")) return Long.parseLong(f[1]);
        }
        return -1;
    }

    /** CFS periods in which the worker was throttled (v2 and v1 cpu.stat nr_throttled). */
    long throttledPeriods() {
        Path d = version.equals("v2") ? dirs.getFirst() : dirs.get(1);
        String stat = read(d.resolve("cpu.stat"));
        if (stat == null) return -1;
        for (String line : stat.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals("nr_throttled")) return Long.parseLong(f[1]);
        }
        return -1;
    }

    @Override
    public String toString() { return describe; }

    /** Removes the directories (the worker must have exited; a busy cgroup stays and is reported). */
    @Override
    public void close() {
        for (Path d : dirs) {
            try {
                Files.deleteIfExists(d);
            } catch (IOException e) {
                java.util.logging.Logger.getLogger(WorkerCgroup.class.getName())
                        .warning("cgroup " + d + " could not be removed: " + e.getClass().getSimpleName());
            }
        }
    }

    private static long quota(double cpus) { return Math.max(1000, Math.round(cpus * 100_000)); }

    private static List<String> words(String s) { return List.of(s.trim().split("\\s+")); }

    private static String rel(String p) { return p.startsWith("/") ? p.substring(1) : p; }

    private static void write(Path p, String value) throws IOException { Files.writeString(p, value); }

    static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Where this process's cgroups are: the v2 mount and path, and each v1 controller's directory. */
    record CgroupMounts(Path unifiedMount, String unifiedPath, java.util.Map<String, Path> v1Dirs) {
        Path v1(String controller) { return v1Dirs.get(controller); }

        static CgroupMounts read() {
            java.util.Map<String, Path> mountsByController = new java.util.HashMap<>();
            Path unified = null;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                    String[] halves = line.split(" - ", 2);
                    if (halves.length < 2) continue;
                    String[] pre = halves[0].split(" ");
                    String[] post = halves[1].split(" ");
                    Path point = Path.of(pre[4]);
                    if (post[0].equals("cgroup2")) unified = point;
                    if (post[0].equals("cgroup") && post.length > 2) {
                        for (String opt : post[2].split(",")) mountsByController.putIfAbsent(opt, point);
                    }
                }
                String unifiedPath = null;
                java.util.Map<String, Path> dirs = new java.util.HashMap<>();
                for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                    String[] f = line.split(":", 3);
                    if (f.length < 3) continue;
                    if (f[0].equals("0") && f[1].isEmpty()) unifiedPath = f[2];
                    for (String c : f[1].split(",")) {
                        Path mount = mountsByController.get(c.toLowerCase(Locale.ROOT));
                        if (mount != null && Files.isWritable(mount)) dirs.put(c, mount.resolve(rel(f[2])));
                    }
                }
                return new CgroupMounts(unified, unifiedPath, dirs);
            } catch (IOException e) {
                return new CgroupMounts(null, null, java.util.Map.of());
            }
        }
    }
}
