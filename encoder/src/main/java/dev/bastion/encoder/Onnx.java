package dev.bastion.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.util.HashMap;
import java.util.Map;

/**
 * One ONNX Runtime session per model, run on the calling thread: one intra-op thread and no spinning pool, so the
 * CPU a request costs is the CPU its own thread spends (and shows up in its measurements), and two cores are not
 * taken by one request.
 */
final class Onnx {
    private Onnx() {}

    /** Stack for loading: ONNX Runtime's environment set-up recurses deeper than a default 1 MiB thread stack. */
    static final long LOAD_STACK = 64L * 1024 * 1024;

    /**
     * Creates the session on a thread of its own with a large stack: creating ONNX Runtime's environment overflowed
     * the 1 MiB main thread of a server process (SIGSEGV inside libonnxruntime, depending on what else the process
     * had on its stack and class path); inference itself runs on the caller's thread.
     */
    static OrtSession session(byte[] model) {
        java.util.concurrent.atomic.AtomicReference<Object> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = Thread.ofPlatform().name("onnx-load").stackSize(LOAD_STACK).unstarted(() -> {
            try {
                result.set(create(model));
            } catch (RuntimeException | Error e) {
                result.set(e);
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelLoadException("interrupted while loading an ONNX model", e);
        }
        Object r = result.get();
        if (r instanceof RuntimeException e) throw e;
        if (r instanceof Error e) throw e;
        return (OrtSession) r;
    }

    private static OrtSession create(byte[] model) {
        NativeTelemetryOff.ensure();
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setIntraOpNumThreads(1);
                o.setInterOpNumThreads(1);
                o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                o.addConfigEntry("session.intra_op.allow_spinning", "0");
                return env.createSession(model, o);
            }
        } catch (OrtException e) {
            throw new ModelLoadException("ONNX model could not be loaded: " + e.getCode(), e);
        }
    }

    /** Runs the session on one sequence; the inputs it declares among input_ids, attention_mask, token_type_ids. */
    static OrtSession.Result run(OrtSession session, long[] ids) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] mask = new long[ids.length];
        java.util.Arrays.fill(mask, 1);
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            for (String name : session.getInputNames()) {
                long[] v = switch (name) {
                    case "input_ids" -> ids;
                    case "attention_mask" -> mask;
                    case "token_type_ids" -> new long[ids.length];
                    default -> throw new OrtException("unsupported model input " + name);
                };
                in.put(name, OnnxTensor.createTensor(env, new long[][]{v}));
            }
            return session.run(in);
        } finally {
            for (OnnxTensor t : in.values()) t.close();
        }
    }

    /** Frees a session and its tokenizer (memory only; nothing to recover on failure). */
    static void close(OrtSession session, TextTokenizer tokenizer) {
        try {
            session.close();
        } catch (OrtException e) {
            // the native memory is released with the process at the latest
        }
        tokenizer.close();
    }

    static void requireInputs(OrtSession session) {
        if (!session.getInputNames().contains("input_ids")) {
            throw new ModelLoadException("ONNX model has no input_ids input (inputs: " + session.getInputNames() + ")");
        }
        for (String name : session.getInputNames()) {
            if (!name.equals("input_ids") && !name.equals("attention_mask") && !name.equals("token_type_ids")) {
                throw new ModelLoadException("ONNX model input " + name + " is not supported");
            }
        }
    }
}
