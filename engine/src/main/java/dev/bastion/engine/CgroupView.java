package dev.bastion.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The memory and CPU limits of the cgroup this process is in, read from {@code /proc/self/cgroup} and the
 * controller files: cgroup v2 ({@code memory.max}, {@code cpu.max}) or, where the machine still mounts the
 * memory and cpu controllers as v1 hierarchies, {@code memory.limit_in_bytes} and {@code cpu.cfs_quota_us}.
 */
final class CgroupView {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private CgroupView() {}

    static List<Lockdown.Protection> limits() {
        String v2 = null;
        String v1Memory = null;
        String v1Cpu = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] f = line.split(":", 3);
                if (f.length < 3) continue;
                if (f[0].equals("0") && f[1].isEmpty()) v2 = f[2];
                for (String c : f[1].split(",")) {
                    if (c.equals("memory")) v1Memory = f[2];
                    if (c.equals("cpu")) v1Cpu = f[2];
                }
            }
        } catch (IOException e) {
            return List.of(new Lockdown.Protection("memory-limit", false, "cgroup unknown"),
                    new Lockdown.Protection("cpu-limit", false, "cgroup unknown"));
        }
        Lockdown.Protection memory;
        Lockdown.Protection cpu;
        String v2Memory = v2 == null ? null : read(ROOT.resolve(rel(v2)).resolve("memory.max"));
        if (v2Memory != null) {
            memory = limit("memory-limit", v2Memory, "cgroup v2 " + v2 + " memory.max");
            cpu = cpuV2(read(ROOT.resolve(rel(v2)).resolve("cpu.max")), v2);
        } else {
            String mem = v1Memory == null ? null : read(ROOT.resolve("memory").resolve(rel(v1Memory))
                    .resolve("memory.limit_in_bytes"));
            memory = mem == null ? new Lockdown.Protection("memory-limit", false, "no memory controller")
                    : limit("memory-limit", Long.parseLong(mem) >= (1L << 62) ? "max" : mem,
                            "cgroup v1 " + v1Memory + " memory.limit_in_bytes");
            String quota = v1Cpu == null ? null : read(ROOT.resolve("cpu").resolve(rel(v1Cpu)).resolve("cpu.cfs_quota_us"));
            String period = v1Cpu == null ? null : read(ROOT.resolve("cpu").resolve(rel(v1Cpu)).resolve("cpu.cfs_period_us"));
            cpu = quota == null || period == null ? new Lockdown.Protection("cpu-limit", false, "no cpu controller")
                    : cpuV2(quota.equals("-1") ? "max " + period : quota + " " + period, "v1 " + v1Cpu);
        }
        return List.of(memory, cpu);
    }

    private static Lockdown.Protection limit(String name, String value, String where) {
        boolean set = !value.equals("max");
        return new Lockdown.Protection(name, set, set ? where + " = " + Long.parseLong(value) / (1024 * 1024) + " MiB"
                : where + " unlimited");
    }

    private static Lockdown.Protection cpuV2(String max, String where) {
        if (max == null) return new Lockdown.Protection("cpu-limit", false, "no cpu controller in " + where);
        String[] f = max.split("\\s+");
        if (f[0].equals("max")) return new Lockdown.Protection("cpu-limit", false, "cgroup " + where + " unlimited");
        double cpus = Double.parseDouble(f[0]) / Double.parseDouble(f[1]);
        return new Lockdown.Protection("cpu-limit", true, "cgroup " + where + " quota "
                + String.format(java.util.Locale.ROOT, "%.2f", cpus) + " CPU");
    }

    private static String rel(String path) { return path.startsWith("/") ? path.substring(1) : path; }

    private static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
