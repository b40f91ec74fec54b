package dev.bastion.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Landlock (Linux 5.13+): the worker gives up, for good, every way to change the file system except inside its run
 * directory (where its socket lives). The model file, the engine's own files and everything else become read-only
 * for it whatever their permissions say. From ABI 4 on, TCP bind and connect are refused as well.
 */
final class Landlock {
    private static final long WRITE_FILE = 1L << 1;
    private static final long REMOVE_DIR = 1L << 4;
    private static final long REMOVE_FILE = 1L << 5;
    private static final long MAKE_ALL = 0x7FL << 6;            // char, dir, reg, sock, fifo, block, sym
    private static final long REFER = 1L << 13;                  // ABI 2
    private static final long TRUNCATE = 1L << 14;               // ABI 3
    private static final long TCP_BIND_CONNECT = 0b11;           // ABI 4, handled_access_net

    private Landlock() {}

    /** The kernel's Landlock ABI version, or a negative errno when Landlock is unavailable. */
    static int abi() {
        if (!Syscalls.supported()) return -38;
        Syscalls.Result r = Syscalls.call(Syscalls.LANDLOCK_CREATE_RULESET, 0, 0, 1 /* VERSION */, 0);
        return r.failed() ? -r.errno() : (int) r.value();
    }

    /**
     * Restricts this process (all threads' future opens) to writing only beneath {@code writable}.
     *
     * @return null when in force, else why not
     */
    static String restrictWritesTo(Path writable) {
        int abi = abi();
        if (abi < 1) return "Landlock unavailable (" + Syscalls.strerror(-abi) + ")";
        long fs = WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE_ALL | (abi >= 2 ? REFER : 0) | (abi >= 3 ? TRUNCATE : 0);
        long net = abi >= 4 ? TCP_BIND_CONNECT : 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(16, 8);
            attr.set(ValueLayout.JAVA_LONG, 0, fs);
            attr.set(ValueLayout.JAVA_LONG, 8, net);
            Syscalls.Result rs = Syscalls.call(Syscalls.LANDLOCK_CREATE_RULESET, attr.address(), abi >= 4 ? 16 : 8, 0, 0);
            if (rs.failed()) return "landlock_create_ruleset failed: " + Syscalls.strerror(rs.errno());
            int ruleset = (int) rs.value();
            try {
                int dir = Syscalls.openPath(writable.toString(), arena);
                if (dir < 0) return "cannot open " + writable.getFileName() + " for a Landlock rule";
                try {
                    MemorySegment beneath = arena.allocate(12, 4);      // packed: u64 allowed, s32 parent_fd
                    beneath.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, fs);
                    beneath.set(ValueLayout.JAVA_INT_UNALIGNED, 8, dir);
                    Syscalls.Result add = Syscalls.call(Syscalls.LANDLOCK_ADD_RULE, ruleset, 1 /* PATH_BENEATH */,
                            beneath.address(), 0);
                    if (add.failed()) return "landlock_add_rule failed: " + Syscalls.strerror(add.errno());
                } finally {
                    Syscalls.close(dir);
                }
                Syscalls.Result self = Syscalls.call(Syscalls.LANDLOCK_RESTRICT_SELF, ruleset, 0, 0, 0);
                if (self.failed()) return "landlock_restrict_self failed: " + Syscalls.strerror(self.errno());
                return null;
            } finally {
                Syscalls.close(ruleset);
            }
        }
    }
}
