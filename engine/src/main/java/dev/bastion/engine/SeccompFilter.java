package dev.bastion.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's seccomp filter (classic BPF, installed on every thread at once with SECCOMP_FILTER_FLAG_TSYNC):
 * no sockets but Unix-domain ones, no new processes (fork, vfork, execve, execveat, clone without CLONE_THREAD —
 * clone3 answers ENOSYS so the C library falls back to clone, whose flags a filter can read), and none of the
 * calls that reach outside the process (ptrace, mount, namespaces, BPF, io_uring, kernel keys and modules).
 * Refused calls fail with EPERM; a call from a foreign architecture or the x32 ABI kills the process.
 */
final class SeccompFilter {
    private static final int LD_ABS_W = 0x20;
    private static final int JEQ_K = 0x15;
    private static final int JGE_K = 0x35;
    private static final int JSET_K = 0x45;
    private static final int RET_K = 0x06;
    private static final int RET_ALLOW = 0x7fff0000;
    private static final int RET_KILL_PROCESS = 0x80000000;
    private static final int RET_ERRNO = 0x00050000;
    static final int EPERM = 1;
    static final int ENOSYS = 38;
    private static final int AF_UNIX = 1;
    private static final int CLONE_THREAD = 0x00010000;

    /** Syscalls refused outright, by architecture (the same names in the same order). */
    static final List<String> DENIED = List.of("fork", "vfork", "execve", "execveat", "ptrace", "process_vm_readv",
            "process_vm_writev", "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "bpf",
            "io_uring_setup", "io_uring_enter", "io_uring_register", "keyctl", "add_key", "request_key",
            "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "perf_event_open",
            "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr");
    private static final int[] X86_64 = {57, 58, 59, 322, 101, 310, 311, 165, 166, 155, 161, 272, 308, 321, 425, 426,
            427, 250, 248, 249, 246, 320, 175, 313, 176, 298, 428, 429, 430, 431, 432, 433, 442};
    /** aarch64 has no fork/vfork (−1: skipped). */
    private static final int[] AARCH64 = {-1, -1, 221, 281, 117, 270, 271, 40, 39, 41, 51, 97, 268, 280, 425, 426,
            427, 219, 217, 218, 104, 294, 105, 273, 106, 241, 428, 429, 430, 431, 432, 433, 442};

    private record Insn(int code, int jt, int jf, int k) {}

    private SeccompFilter() {}

    static byte[] program(Syscalls.Arch arch) {
        int[] denied = arch == Syscalls.Arch.X86_64 ? X86_64 : AARCH64;
        int socket = arch == Syscalls.Arch.X86_64 ? 41 : 198;
        int socketpair = arch == Syscalls.Arch.X86_64 ? 53 : 199;
        int clone = arch == Syscalls.Arch.X86_64 ? 56 : 220;
        int clone3 = 435;
        List<Insn> p = new ArrayList<>();
        p.add(new Insn(LD_ABS_W, 0, 0, 4));                         // arch
        p.add(new Insn(JEQ_K, 1, 0, (int) arch.auditArch));
        p.add(new Insn(RET_K, 0, 0, RET_KILL_PROCESS));
        p.add(new Insn(LD_ABS_W, 0, 0, 0));                         // nr
        if (arch == Syscalls.Arch.X86_64) {
            p.add(new Insn(JGE_K, 0, 1, 0x40000000));              // x32 ABI
            p.add(new Insn(RET_K, 0, 0, RET_KILL_PROCESS));
        }
        for (int nr : denied) {
            if (nr < 0) continue;
            p.add(new Insn(JEQ_K, 0, 1, nr));
            p.add(new Insn(RET_K, 0, 0, RET_ERRNO | EPERM));
        }
        p.add(new Insn(JEQ_K, 0, 1, clone3));
        p.add(new Insn(RET_K, 0, 0, RET_ERRNO | ENOSYS));
        for (int nr : new int[] {socket, socketpair}) {           // domain must be AF_UNIX
            p.add(new Insn(JEQ_K, 0, 4, nr));
            p.add(new Insn(LD_ABS_W, 0, 0, 16));                    // args[0], low word
            p.add(new Insn(JEQ_K, 0, 1, AF_UNIX));
            p.add(new Insn(RET_K, 0, 0, RET_ALLOW));
            p.add(new Insn(RET_K, 0, 0, RET_ERRNO | EPERM));
        }
        p.add(new Insn(JEQ_K, 0, 4, clone));                        // threads only
        p.add(new Insn(LD_ABS_W, 0, 0, 16));
        p.add(new Insn(JSET_K, 0, 1, CLONE_THREAD));
        p.add(new Insn(RET_K, 0, 0, RET_ALLOW));
        p.add(new Insn(RET_K, 0, 0, RET_ERRNO | EPERM));
        p.add(new Insn(RET_K, 0, 0, RET_ALLOW));
        ByteBuffer b = ByteBuffer.allocate(p.size() * 8).order(ByteOrder.nativeOrder());
        for (Insn i : p) b.putShort((short) i.code).put((byte) i.jt).put((byte) i.jf).putInt(i.k);
        return b.array();
    }

    /**
     * Installs the filter on every thread of the process (no-new-privileges must already be set).
     *
     * @return null when installed, else why not
     */
    static String install() {
        Syscalls.Arch arch = Syscalls.arch();
        if (!Syscalls.supported()) return "unsupported architecture " + System.getProperty("os.arch");
        byte[] prog = program(arch);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment filter = arena.allocate(prog.length, 8);
            MemorySegment.copy(prog, 0, filter, ValueLayout.JAVA_BYTE, 0, prog.length);
            MemorySegment fprog = arena.allocate(16, 8);                 // struct sock_fprog
            fprog.set(ValueLayout.JAVA_SHORT, 0, (short) (prog.length / 8));
            fprog.set(ValueLayout.JAVA_LONG, 8, filter.address());
            // seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog)
            Syscalls.Result r = Syscalls.call(arch.seccomp, 1, 1, fprog.address(), 0);
            if (r.failed()) return "seccomp(2) failed: " + Syscalls.strerror(r.errno());
            if (r.value() != 0) return "thread " + r.value() + " could not be synchronised";
            return null;
        }
    }
}
