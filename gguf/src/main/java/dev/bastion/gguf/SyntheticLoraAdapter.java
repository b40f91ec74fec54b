package dev.bastion.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Generates a LoRA adapter in GGUF for a {@link SyntheticLlamaModel}: low-rank {@code lora_a}/{@code lora_b} pairs
 * for every attention query and value projection, as llama.cpp loads them ({@code general.type = adapter},
 * {@code adapter.type = lora}; {@code lora_a} is {@code [in, rank]} and {@code lora_b} {@code [rank, out]} in ggml
 * order). Like the model, it is noise that exercises the mechanics: loading an adapter on top of a base.
 */
public final class SyntheticLoraAdapter {
    private SyntheticLoraAdapter() {}

    public static void write(SyntheticLlamaModel.Spec base, int rank, long seed, Path file) throws IOException {
        int d = base.embeddingLength();
        int kvDim = d / base.headCount() * base.headCountKv();
        GgufWriter w = new GgufWriter()
                .put("general.architecture", "llama")
                .put("general.type", "adapter")
                .put("general.name", base.name() + "-lora")
                .put("adapter.type", "lora")
                .putF32("adapter.lora.alpha", rank);
        for (int b = 0; b < base.blockCount(); b++) {
            String p = "blk." + b + ".";
            pair(w, p + "attn_q.weight", d, d, rank, seed + b);
            pair(w, p + "attn_v.weight", d, kvDim, rank, seed + 100 + b);
        }
        w.write(file);
    }

    private static void pair(GgufWriter w, String target, int in, int out, int rank, long seed) {
        w.tensor(target + ".lora_a", GgmlType.F32, new long[] {in, rank}, () -> f32(seed, (long) in * rank, 0.5));
        w.tensor(target + ".lora_b", GgmlType.F32, new long[] {rank, out}, () -> f32(seed * 7 + 1, (long) rank * out, 0.5));
    }

    private static byte[] f32(long seed, long n, double std) { return bytes(values(seed, n, std)); }

    private static float[] values(long seed, long n, double std) {
        var rnd = new SplittableRandom(seed);
        float[] x = new float[Math.toIntExact(n)];
        for (int i = 0; i < x.length; i++) x[i] = (float) ((rnd.nextDouble() * 2 - 1) * std);
        return x;
    }

    private static byte[] bytes(float[] x) {
        var buf = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) buf.putFloat(v);
        return buf.array();
    }
}
