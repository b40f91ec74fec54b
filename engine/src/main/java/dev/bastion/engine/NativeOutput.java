package dev.bastion.engine;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Keeps standard output clean. The llama.cpp binding prints to stdout from Java (library extraction) and from native
 * code; the worker's stdout belongs to nobody, so both are sent to stderr, which the supervisor collects as logs.
 */
final class NativeOutput {
    private NativeOutput() {}

    /** Points file descriptor 1 at descriptor 2 (dup2) and System.out at System.err. Best effort. */
    @SuppressWarnings("restricted") // the worker runs with --enable-native-access; dup2 is the whole point
    static void redirectStdoutToStderr() {
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle dup2 = linker.downcallHandle(linker.defaultLookup().find("dup2").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int rc = (int) dup2.invokeExact(2, 1);
            if (rc != 1) System.err.println("engine: dup2(2, 1) failed; native stdout stays as is");
        } catch (Throwable t) {
            System.err.println("engine: cannot redirect native stdout (" + t.getClass().getSimpleName() + ")");
        }
    }
}
