package dev.bastion.inspect;

import dev.bastion.encoder.OnnxSentenceEncoder;
import dev.bastion.encoder.SentenceEncoder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in second stage: a logistic head over all-MiniLM-L6-v2 sentence embeddings (the first 48 and last 16
 * tokens of a text), mixed with the linear stage's logit. Weights, band and mix come from
 * {@code injection_head.txt}, written by bench {@code InjectionCascadeBench train}; the choice of band, mix and
 * refuse point is documented with its curves in docs/inspect.md.
 */
final class EmbeddingInjectionHead implements InjectionSecondStage {
    static final String RESOURCE = "/dev/bastion/inspect/injection_head.txt";

    private final SentenceEncoder encoder;
    private final float[] weights;
    private final double mix;
    private final double threshold;
    final double lo;
    final double hi;

    private EmbeddingInjectionHead(SentenceEncoder encoder, float[] weights, double mix, double threshold, double lo, double hi) {
        if (weights.length != encoder.dimension() + 1) throw new IllegalStateException("injection head does not fit the encoder");
        this.encoder = encoder;
        this.weights = weights;
        this.mix = mix;
        this.threshold = threshold;
        this.lo = lo;
        this.hi = hi;
    }

    /** Loads the resource and the encoder it was trained with. */
    static EmbeddingInjectionHead load() {
        int maxTokens = 64;
        double mix = 0.3, threshold = 1.0, lo = 0.5, hi = 0.9;
        List<Float> w = new ArrayList<>();
        try (InputStream in = EmbeddingInjectionHead.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("injection head resource missing");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.trim().split(" ");
                switch (f[0]) {
                    case "max-tokens" -> maxTokens = Integer.parseInt(f[1]);
                    case "band" -> { lo = Double.parseDouble(f[1]); hi = Double.parseDouble(f[2]); }
                    case "mix" -> mix = Double.parseDouble(f[1]);
                    case "threshold" -> threshold = Double.parseDouble(f[1]);
                    default -> w.add(Float.parseFloat(f[0]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        float[] weights = new float[w.size()];
        for (int i = 0; i < weights.length; i++) weights[i] = w.get(i);
        return new EmbeddingInjectionHead(OnnxSentenceEncoder.miniLm(maxTokens), weights, mix, threshold, lo, hi);
    }

    @Override
    public double bandLogit(String text, double linearLogit) {
        float[] x = encoder.embed(text);
        double z = weights[x.length];
        for (int j = 0; j < x.length; j++) z += weights[j] * x[j];
        return mix * linearLogit + (1 - mix) * z - threshold;
    }

    @Override
    public String name() { return "minilm_head"; }

    @Override
    public void close() {
        encoder.close();
    }
}
