package dev.bastion.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker locks itself down before it serves: drops every capability, sets no-new-privileges, makes the file
 * system read-only but for its run directory (Landlock), and installs the seccomp filter on all threads. Then it
 * inspects itself — network namespace, user, capabilities, cgroup limits, seccomp and no-new-privs as the kernel
 * reports them in {@code /proc/self} — so the report says what holds, not what was attempted.
 */
final class Lockdown {
    enum Mode { REQUIRED, BEST_EFFORT, OFF }

    /** One protection: whether it holds and what the kernel says about it. */
    record Protection(String name, boolean holds, String detail) {}

    record Report(List<Protection> protections) {
        List<Protection> missing() { return protections.stream().filter(p -> !p.holds()).toList(); }

        Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Protection p : protections) out.put(p.name(), Map.of("holds", p.holds(), "detail", p.detail()));
            return out;
        }
    }

    private Lockdown() {}

    /** Applies what this process can apply to itself, then reports every protection (also when mode is OFF). */
    static Report apply(Mode mode, Path writableDir) {
        List<String> failures = new ArrayList<>();
        if (mode != Mode.OFF) {
            note(failures, "capabilities", dropCapabilities());
            note(failures, "no-new-privs", noNewPrivs());
            note(failures, "filesystem", Landlock.restrictWritesTo(writableDir));
            note(failures, "seccomp", SeccompFilter.install());
        }
        return inspect(mode, failures);
    }

    private static void note(List<String> failures, String what, String failure) {
        if (failure != null) failures.add(what + ": " + failure);
    }

    static Report inspect(Mode mode, List<String> failures) {
        Map<String, String> status = procStatus();
        List<Protection> out = new ArrayList<>();
        List<String> nics;
        try {
            nics = NetworkIsolation.nonLoopbackInterfaces();
        } catch (IOException e) {
            nics = List.of("unknown");
        }
        out.add(new Protection("network", nics.isEmpty(), nics.isEmpty() ? "own network namespace, loopback only"
                : "interfaces reachable: " + nics));
        String uid = first(status.get("Uid"));
        String caps = status.getOrDefault("CapEff", "?");
        boolean notRoot = !"0".equals(uid) && !uid.isEmpty() && caps.matches("0+");
        out.add(new Protection("user", notRoot, "uid " + uid + " (" + userNamespace() + "), effective capabilities "
                + caps));
        out.add(new Protection("no-new-privs", "1".equals(status.get("NoNewPrivs")),
                "NoNewPrivs " + status.getOrDefault("NoNewPrivs", "?")));
        boolean seccomp = "2".equals(status.get("Seccomp"));
        out.add(new Protection("seccomp", seccomp, seccomp ? "filter on every thread: sockets AF_UNIX only, no "
                + "fork/exec/clone of processes, " + SeccompFilter.DENIED.size() + " calls refused"
                : "Seccomp " + status.getOrDefault("Seccomp", "?") + failureFor(failures, "seccomp")));
        boolean fs = mode != Mode.OFF && failureFor(failures, "filesystem").isEmpty();
        out.add(new Protection("filesystem", fs, fs ? "read-only except the run directory (Landlock ABI "
                + Landlock.abi() + "; model file included)" : "writable" + failureFor(failures, "filesystem")));
        out.addAll(CgroupView.limits());
        return new Report(List.copyOf(out));
    }

    private static String failureFor(List<String> failures, String what) {
        for (String f : failures) if (f.startsWith(what + ":")) return " — " + f;
        return "";
    }

    /** Drops the effective, permitted and inheritable capability sets (capset, v3 header). */
    private static String dropCapabilities() {
        if (!Syscalls.supported()) return "unsupported architecture";
        long capset = Syscalls.arch() == Syscalls.Arch.X86_64 ? 126 : 91;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(8, 4);
            header.set(ValueLayout.JAVA_INT, 0, 0x20080522);
            header.set(ValueLayout.JAVA_INT, 4, 0);
            MemorySegment data = arena.allocate(24, 4); // two {effective, permitted, inheritable}, all zero
            Syscalls.Result r = Syscalls.call(capset, header.address(), data.address(), 0, 0);
            return r.failed() ? "capset failed: " + Syscalls.strerror(r.errno()) : null;
        }
    }

    private static String noNewPrivs() {
        if (!Syscalls.supported()) return "unsupported architecture";
        Syscalls.Result r = Syscalls.call(Syscalls.arch().prctl, 38 /* PR_SET_NO_NEW_PRIVS */, 1, 0, 0);
        return r.failed() ? "prctl failed: " + Syscalls.strerror(r.errno()) : null;
    }

    private static String userNamespace() {
        try {
            String map = Files.readString(Path.of("/proc/self/uid_map")).strip();
            if (map.isEmpty()) return "user namespace without a mapping";
            return map.replaceAll("\\s+", " ").equals("0 0 4294967295") ? "initial user namespace"
                    : "user namespace " + map.replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "user namespace unknown";
        }
    }

    static Map<String, String> procStatus() {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                int colon = line.indexOf(':');
                if (colon > 0) m.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        } catch (IOException e) {
            // reported as unknown values
        }
        return m;
    }

    private static String first(String fields) { return fields == null ? "" : fields.split("\\s+")[0]; }
}
