package dev.bastion.encoder;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Switches off ONNX Runtime's own telemetry before its environment is first created. Since 1.2x the Linux build
 * keeps a device id and an event database under {@code ~/.cache/Microsoft/DeveloperTools} and would upload events
 * over HTTPS; a privacy gateway must do neither. It also crashed in containers without {@code /etc/os-release}
 * (a NULL {@code fclose} in its start-up). The only switch ONNX Runtime reads early enough is the process environment
 * variable {@value #VARIABLE}, which Java cannot set: this sets it in the C library's environment, where the native
 * code reads it. Fails closed: when it cannot be set, no ONNX model loads.
 */
public final class NativeTelemetryOff {
    static final String VARIABLE = "ORT_DISABLE_TELEMETRY";
    private static volatile boolean done;

    private NativeTelemetryOff() {}

    /** Sets the variable if it is not set; idempotent. Call before other threads may use the C environment. */
    public static synchronized void ensure() {
        if (done) return;
        if (!"1".equals(nativeGetenv())) {
            int rc = setenv();
            if (rc != 0 || !"1".equals(nativeGetenv())) {
                throw new ModelLoadException(VARIABLE + " could not be set; ONNX Runtime would start its telemetry");
            }
        }
        done = true;
    }

    /** The variable as native code sees it (the C library's environment, not Java's snapshot of it). */
    static String nativeGetenv() {
        Linker linker = Linker.nativeLinker();
        MethodHandle getenv = linker.downcallHandle(linker.defaultLookup().find("getenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = (MemorySegment) getenv.invokeExact(arena.allocateFrom(VARIABLE));
            return value.equals(MemorySegment.NULL) ? null : value.reinterpret(64).getString(0);
        } catch (Throwable t) {
            throw new ModelLoadException("the native environment could not be read", t);
        }
    }

    private static int setenv() {
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            return (int) setenv.invokeExact(arena.allocateFrom(VARIABLE), arena.allocateFrom("1"), 1);
        } catch (Throwable t) {
            throw new ModelLoadException(VARIABLE + " could not be set", t);
        }
    }
}
