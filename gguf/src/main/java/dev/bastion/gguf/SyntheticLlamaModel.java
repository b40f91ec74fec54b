package dev.bastion.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a llama-architecture GGUF model with random weights and a working byte-level BPE tokenizer, small enough
 * to create at test time and real enough for llama.cpp to load and run. The text it produces is noise; what it is
 * for is exercising the mechanics (loading, tokenizing, streaming, limits) without downloading anything.
 *
 * <p>Generation is steered so that tests can rely on it: the first embedding dimension is a constant that no layer
 * writes to, and the output rows of control tokens and of tokens that are not printable ASCII weigh that dimension
 * strongly negative. So the model practically never emits end-of-sequence, special tokens or invalid UTF-8: it runs
 * until max_tokens or a stop sequence.
 */
public final class SyntheticLlamaModel {

    /** The chat template written into the model (ChatML, which llama.cpp also recognises by its markers). */
    public static final String CHATML_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role'] "
            + "+ '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public static final List<String> SPECIAL_TOKENS = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");

    /**
     * @param weightType type of the two-dimensional weights: F32, F16 or Q8_0
     */
    public record Spec(String name, int embeddingLength, int blockCount, int headCount, int headCountKv,
                       int feedForwardLength, int contextLength, int mergeCount, GgmlType weightType, long seed,
                       String chatTemplate) {
        public Spec {
            if (embeddingLength % headCount != 0 || headCount % headCountKv != 0) {
                throw new IllegalArgumentException("heads must divide the embedding and kv heads the heads");
            }
            if (weightType != GgmlType.F32 && weightType != GgmlType.F16 && weightType != GgmlType.Q8_0) {
                throw new IllegalArgumentException("weight type must be F32, F16 or Q8_0");
            }
        }

        /** A few hundred kilobytes; loads in milliseconds. */
        public static Spec tiny() {
            return new Spec("bastion-tiny", 64, 2, 4, 2, 128, 1024, 200, GgmlType.Q8_0, 42, CHATML_TEMPLATE);
        }

        /** About 30 MB: big enough that generation time dominates per-request overheads in benchmarks. */
        public static Spec bench() {
            return new Spec("bastion-bench", 512, 8, 8, 8, 1536, 2048, 300, GgmlType.Q8_0, 7, CHATML_TEMPLATE);
        }

        public Spec withWeightType(GgmlType type) {
            return new Spec(name, embeddingLength, blockCount, headCount, headCountKv, feedForwardLength,
                    contextLength, mergeCount, type, seed, chatTemplate);
        }

        public Spec withSeed(long newSeed) {
            return new Spec(name, embeddingLength, blockCount, headCount, headCountKv, feedForwardLength,
                    contextLength, mergeCount, weightType, newSeed, chatTemplate);
        }

        /** A different template, or null for a model without one. */
        public Spec withChatTemplate(String template) {
            return new Spec(name, embeddingLength, blockCount, headCount, headCountKv, feedForwardLength,
                    contextLength, mergeCount, weightType, seed, template);
        }
    }

    private SyntheticLlamaModel() {}

    public static void write(Spec spec, Path file) throws IOException {
        ByteLevelBpe bpe = ByteLevelBpe.train(spec.mergeCount());
        List<String> tokens = new ArrayList<>(bpe.tokens());
        int firstSpecial = tokens.size();
        tokens.addAll(SPECIAL_TOKENS);
        int vocab = tokens.size();
        int[] types = new int[vocab];
        boolean[] suppressed = new boolean[vocab];
        for (int i = 0; i < vocab; i++) {
            boolean special = i >= firstSpecial;
            types[i] = special ? 3 : 1; // 3 = control, 1 = normal
            suppressed[i] = special || !printableAscii(ByteLevelBpe.bytesOf(tokens.get(i)));
        }

        int d = spec.embeddingLength();
        int headDim = d / spec.headCount();
        int kvDim = headDim * spec.headCountKv();
        int ff = spec.feedForwardLength();
        GgmlType wt = spec.weightType();
        int fileType = switch (wt) {
            case F32 -> LlamaFileType.ALL_F32.id();
            case F16 -> LlamaFileType.MOSTLY_F16.id();
            default -> LlamaFileType.MOSTLY_Q8_0.id();
        };

        GgufWriter w = new GgufWriter()
                .put("general.architecture", "llama")
                .put("general.name", spec.name())
                .putU32("general.file_type", fileType)
                .putU32("general.quantization_version", 2)
                .putU32("llama.context_length", spec.contextLength())
                .putU32("llama.embedding_length", d)
                .putU32("llama.block_count", spec.blockCount())
                .putU32("llama.feed_forward_length", ff)
                .putU32("llama.attention.head_count", spec.headCount())
                .putU32("llama.attention.head_count_kv", spec.headCountKv())
                .putF32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .putU32("llama.rope.dimension_count", headDim)
                .putF32("llama.rope.freq_base", 10000f)
                .putU32("llama.vocab_size", vocab)
                .put("tokenizer.ggml.model", "gpt2")
                .put("tokenizer.ggml.pre", "gpt-2")
                .putStrings("tokenizer.ggml.tokens", tokens)
                .putI32s("tokenizer.ggml.token_type", types)
                .putStrings("tokenizer.ggml.merges", bpe.merges())
                .putU32("tokenizer.ggml.bos_token_id", firstSpecial)
                .putU32("tokenizer.ggml.eos_token_id", firstSpecial + 2)
                .putU32("tokenizer.ggml.padding_token_id", firstSpecial)
                .putBool("tokenizer.ggml.add_bos_token", false);
        if (spec.chatTemplate() != null) w.put("tokenizer.chat_template", spec.chatTemplate());

        long seed = spec.seed();
        float anchor = (float) Math.sqrt(d);
        w.tensor("token_embd.weight", wt, new long[]{d, vocab}, () -> {
            float[] x = gaussian(seed, "token_embd", (long) d * vocab, 0.5);
            for (int t = 0; t < vocab; t++) x[t * d] = anchor; // the constant dimension every token carries
            return encode(x, wt);
        });
        w.tensor("output_norm.weight", GgmlType.F32, new long[]{d}, () -> encode(ones(d), GgmlType.F32));
        w.tensor("output.weight", wt, new long[]{d, vocab}, () -> {
            float[] x = gaussian(seed, "output", (long) d * vocab, 1.0);
            for (int t = 0; t < vocab; t++) x[t * d] = suppressed[t] ? -4f : 0f;
            return encode(x, wt);
        });
        for (int b = 0; b < spec.blockCount(); b++) {
            String p = "blk." + b + ".";
            w.tensor(p + "attn_norm.weight", GgmlType.F32, new long[]{d}, () -> encode(ones(d), GgmlType.F32));
            w.tensor(p + "attn_q.weight", wt, new long[]{d, d}, matrix(seed, p + "q", d, d, false, wt));
            w.tensor(p + "attn_k.weight", wt, new long[]{d, kvDim}, matrix(seed, p + "k", d, kvDim, false, wt));
            w.tensor(p + "attn_v.weight", wt, new long[]{d, kvDim}, matrix(seed, p + "v", d, kvDim, false, wt));
            w.tensor(p + "attn_output.weight", wt, new long[]{d, d}, matrix(seed, p + "o", d, d, true, wt));
            w.tensor(p + "ffn_norm.weight", GgmlType.F32, new long[]{d}, () -> encode(ones(d), GgmlType.F32));
            w.tensor(p + "ffn_gate.weight", wt, new long[]{d, ff}, matrix(seed, p + "gate", d, ff, false, wt));
            w.tensor(p + "ffn_up.weight", wt, new long[]{d, ff}, matrix(seed, p + "up", d, ff, false, wt));
            w.tensor(p + "ffn_down.weight", wt, new long[]{ff, d}, matrix(seed, p + "down", ff, d, true, wt));
        }
        w.write(file);
    }

    /** Rows of {@code in} elements, {@code out} of them; when {@code writesResidual}, row 0 stays zero. */
    private static java.util.function.Supplier<byte[]> matrix(long seed, String name, int in, int out,
                                                              boolean writesResidual, GgmlType type) {
        return () -> {
            float[] x = gaussian(seed, name, (long) in * out, 1.0 / Math.sqrt(in));
            if (writesResidual) java.util.Arrays.fill(x, 0, in, 0f);
            return encode(x, type);
        };
    }

    private static boolean printableAscii(byte[] bytes) {
        if (bytes.length == 0) return false;
        for (byte b : bytes) if (b < 0x20 || b > 0x7e) return false;
        return true;
    }

    private static float[] ones(int n) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, 1f);
        return x;
    }

    private static float[] gaussian(long seed, String name, long n, double std) {
        var rnd = new SplittableRandom(seed * 31 + name.hashCode());
        float[] x = new float[Math.toIntExact(n)];
        for (int i = 0; i < x.length; i++) {
            // Irwin-Hall approximation: cheap and deterministic across JDKs
            double s = 0;
            for (int k = 0; k < 4; k++) s += rnd.nextDouble();
            x[i] = (float) ((s - 2.0) * Math.sqrt(3.0) * std);
        }
        return x;
    }

    static byte[] encode(float[] x, GgmlType type) {
        return switch (type) {
            case F32 -> {
                var buf = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : x) buf.putFloat(v);
                yield buf.array();
            }
            case F16 -> {
                var buf = ByteBuffer.allocate(x.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : x) buf.putShort(Float.floatToFloat16(v));
                yield buf.array();
            }
            case Q8_0 -> quantizeQ8_0(x);
            default -> throw new IllegalArgumentException("unsupported type " + type);
        };
    }

    /** ggml's Q8_0: blocks of 32 values as one fp16 scale and 32 signed bytes. */
    private static byte[] quantizeQ8_0(float[] x) {
        var buf = ByteBuffer.allocate(x.length / 32 * 34).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < x.length; b += 32) {
            float amax = 0;
            for (int i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(x[b + i]));
            float scale = amax / 127f;
            float inv = scale == 0 ? 0 : 1f / scale;
            buf.putShort(Float.floatToFloat16(scale));
            for (int i = 0; i < 32; i++) buf.put((byte) Math.round(x[b + i] * inv));
        }
        return buf.array();
    }
}
