package dev.bastion.encoder;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;

/**
 * An operator-supplied ONNX sequence classifier (for example a Prompt Guard or DeBERTa injection model exported
 * with its {@code tokenizer.json}): inputs among {@code input_ids}/{@code attention_mask}/{@code token_type_ids},
 * first output logits [1, labels]. Both files are pinned by SHA-256 ({@link ModelFile}). {@link #probability}
 * is the softmax probability of the configured label (the sigmoid when the model has one logit).
 */
public final class OnnxSequenceClassifier implements AutoCloseable {
    private final OrtSession session;
    private final TextTokenizer tokenizer;
    private final int label;

    OnnxSequenceClassifier(byte[] model, byte[] tokenizerJson, int label, int maxTokens) {
        if (label < 0) throw new IllegalArgumentException("label index must be >= 0");
        this.tokenizer = new TextTokenizer(tokenizerJson, maxTokens, maxTokens / 4);
        this.session = Onnx.session(model);
        Onnx.requireInputs(session);
        this.label = label;
        float[] probe = logits("probe");
        if (probe.length > 1 && label >= probe.length) {
            close();
            throw new ModelLoadException("label index " + label + " but the model has " + probe.length + " labels");
        }
    }

    /**
     * @param label     index of the label whose probability {@link #probability} returns (e.g. 1 = injection)
     * @param maxTokens tokens read per text (head and tail of a longer one)
     */
    public static OnnxSequenceClassifier load(ModelFile model, ModelFile tokenizerJson, int label, int maxTokens)
            throws IOException {
        return new OnnxSequenceClassifier(model.verified(), tokenizerJson.verified(), label, maxTokens);
    }

    /** Probability of the configured label for {@code text}. */
    public double probability(String text) {
        float[] z = logits(text);
        if (z.length == 1) return 1 / (1 + Math.exp(-z[0]));
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) max = Math.max(max, v);
        double sum = 0;
        for (float v : z) sum += Math.exp(v - max);
        return Math.exp(z[label] - max) / sum;
    }

    private float[] logits(String text) {
        try (OrtSession.Result r = Onnx.run(session, tokenizer.ids(text))) {
            Object v = r.get(0).getValue();
            if (v instanceof float[][] m) return m[0];
            throw new IllegalStateException("sequence classifier output is not [1, labels] floats");
        } catch (OrtException e) {
            throw new IllegalStateException("classifier run failed: " + e.getCode(), e);
        }
    }

    @Override
    public void close() {
        Onnx.close(session, tokenizer);
    }
}
