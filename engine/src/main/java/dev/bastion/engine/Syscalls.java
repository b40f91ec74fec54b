package dev.bastion.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Raw Linux system calls through the JDK's foreign-function API (no JNI library, no compiler): what the worker
 * needs to lock itself down (prctl, seccomp, Landlock, openat/close). Only x86-64 and aarch64 are known; on any
 * other architecture {@link #supported()} is false and every lock-down step reports itself unavailable.
 */
final class Syscalls {
    enum Arch {
        X86_64(0xC000003EL, 157, 317, 257, 3),
        AARCH64(0xC00000B7L, 167, 277, 56, 57);

        final long auditArch;
        final long prctl;
        final long seccomp;
        final long openat;
        final long close;

        Arch(long auditArch, long prctl, long seccomp, long openat, long close) {
            this.auditArch = auditArch;
            this.prctl = prctl;
            this.seccomp = seccomp;
            this.openat = openat;
            this.close = close;
        }
    }

    static final long LANDLOCK_CREATE_RULESET = 444;
    static final long LANDLOCK_ADD_RULE = 445;
    static final long LANDLOCK_RESTRICT_SELF = 446;

    private static final Arch ARCH = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> Arch.X86_64;
        case "aarch64", "arm64" -> Arch.AARCH64;
        default -> null;
    };
    private static final StructLayoutHolder CALL_STATE = new StructLayoutHolder();
    private static final MethodHandle SYSCALL = ARCH == null || !System.getProperty("os.name").equals("Linux") ? null
            : Linker.nativeLinker().downcallHandle(
                    Linker.nativeLinker().defaultLookup().find("syscall").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                    Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    private Syscalls() {}

    static boolean supported() { return SYSCALL != null; }

    static Arch arch() { return ARCH; }

    /** The result of one call: the return value, and errno when it is −1. */
    record Result(long value, int errno) {
        boolean failed() { return value == -1; }
    }

    static Result call(long nr, long a, long b, long c, long d) {
        if (SYSCALL == null) return new Result(-1, 38); // ENOSYS
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE.layout);
            long r = (long) SYSCALL.invokeExact(state, nr, a, b, c, d);
            return new Result(r, r == -1 ? (int) CALL_STATE.errno.get(state, 0L) : 0);
        } catch (Throwable t) {
            throw new IllegalStateException("system call " + nr + " could not be made", t);
        }
    }

    /** An O_PATH descriptor for a directory or file (for Landlock rules), or −1. */
    static int openPath(String path, Arena arena) {
        MemorySegment p = arena.allocateFrom(path);
        Result r = call(ARCH.openat, -100 /* AT_FDCWD */, p.address(), 0x200000 | 0x80000 /* O_PATH|O_CLOEXEC */, 0);
        return r.failed() ? -1 : (int) r.value();
    }

    static void close(int fd) { call(ARCH.close, fd, 0, 0, 0); }

    static String strerror(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 13 -> "EACCES";
            case 14 -> "EFAULT";
            case 22 -> "EINVAL";
            case 38 -> "ENOSYS";
            case 95 -> "EOPNOTSUPP";
            default -> "errno " + errno;
        };
    }

    private static final class StructLayoutHolder {
        final MemoryLayout layout = Linker.Option.captureStateLayout();
        final VarHandle errno = layout.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    }
}
