package dev.bastion.inspect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * PROMPT_INJECTION, as a cascade. Stage one is a logistic model over {@link InjectionFeatures} (weights in
 * {@code injection_model.txt}; its score is shifted so that 0.5 is its flagging point). It decides the clear cases:
 * a score below the band's low end stands, and so does one at or above its high end. A text in between goes to the
 * second stage ({@link InjectionSecondStage}: the built-in head over all-MiniLM-L6-v2 embeddings, or an operator's
 * ONNX classifier), whose logit becomes the score {@code σ(logit + ln 4)} — 0.8, the gateway's refusing score under a
 * block obligation, exactly at the second stage's refuse point. So the encoder runs for a few texts in a hundred and
 * the average cost stays near the linear model's. The finding spans the whole text; policy decides flag or block.
 * Band, mix and refuse point were chosen on development data (docs/inspect.md), never on a test split.
 */
public final class PromptInjectionDetector implements Detector {
    static final String MODEL = "/dev/bastion/inspect/injection_model.txt";
    private static final float[] LINEAR = load();
    private static final double LN4 = Math.log(4);

    private final float[] weights;
    private final InjectionSecondStage second;
    private final double lo;
    private final double hi;
    private final LongAdder bandRuns = new LongAdder();

    PromptInjectionDetector(float[] weights, InjectionSecondStage second, double lo, double hi) {
        if (!(lo >= 0 && lo <= hi && hi <= 1)) throw new IllegalArgumentException("band must satisfy 0 <= lo <= hi <= 1");
        this.weights = weights;
        this.second = second;
        this.lo = lo;
        this.hi = hi;
    }

    /** The shipped cascade: linear model + the built-in MiniLM head (loaded once per process, on first use). */
    public static PromptInjectionDetector standard() { return Standard.CASCADE; }

    /** The linear stage alone (no encoder): for callers that must not load native code. */
    public static PromptInjectionDetector linearOnly() { return LinearOnly.DETECTOR; }

    /** The linear stage with an operator's second stage deciding the band [{@code lo}, {@code hi}). */
    public static PromptInjectionDetector cascade(InjectionSecondStage second, double lo, double hi) {
        return new PromptInjectionDetector(LINEAR, second, lo, hi);
    }

    /** Holders apart, so that asking for the linear stage never loads the encoder. */
    private static final class LinearOnly {
        static final PromptInjectionDetector DETECTOR = new PromptInjectionDetector(LINEAR, null, 1, 1);
    }

    private static final class Standard {
        static final PromptInjectionDetector CASCADE;

        static {
            EmbeddingInjectionHead head = EmbeddingInjectionHead.load();
            CASCADE = new PromptInjectionDetector(LINEAR, head, head.lo, head.hi);
        }
    }

    @Override
    public String name() { return "prompt_injection"; }

    @Override
    public void detect(Text text, List<Finding> out) {
        if (text.length() == 0) return;
        double p = score(text.value());
        if (p >= 0.2) out.add(new Finding(EntityType.PROMPT_INJECTION, 0, text.length(), Math.round(p * 1000) / 1000.0));
    }

    /** Probability-like score in [0, 1]: 0.5 flags, 0.8 is the refuse point. */
    public double score(String text) {
        double z = linearLogit(text);
        double p = 1 / (1 + Math.exp(-z));
        if (second == null || p < lo || p >= hi) return p;
        bandRuns.increment();
        return 1 / (1 + Math.exp(-(second.bandLogit(text, z) + LN4)));
    }

    /** The linear stage's logit (0 = its flagging point). */
    public double linearLogit(String text) {
        double z = 0;
        for (int f : InjectionFeatures.extract(text)) z += weights[f];
        return z;
    }

    /** How many texts went to the second stage since start (for the cost figures; no content). */
    public long secondStageRuns() { return bandRuns.sum(); }

    /** Sparse text format: "index weight" per line; absent indices weigh 0. */
    static float[] load() {
        float[] w = new float[InjectionFeatures.DIM];
        try (InputStream in = PromptInjectionDetector.class.getResourceAsStream(MODEL)) {
            if (in == null) throw new IllegalStateException("injection model resource missing");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) continue;
                int sp = line.indexOf(' ');
                w[Integer.parseInt(line, 0, sp, 10)] = Float.parseFloat(line.substring(sp + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w;
    }
}
