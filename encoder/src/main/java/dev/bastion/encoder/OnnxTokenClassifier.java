package dev.bastion.encoder;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An operator-supplied ONNX token classifier (NER weights + {@code tokenizer.json}, both pinned by SHA-256): first
 * output logits [1, tokens, labels], label names in the model's id order (its {@code id2label}). Tags may be BIO
 * ({@code B-PER}, {@code I-PER}), BIOES/BILOU or plain ({@code PER}); {@code O} is outside. Long texts are read in
 * windows cut at whitespace, so cost is linear in the text length.
 */
public final class OnnxTokenClassifier implements AutoCloseable {
    /** chars per window; with ~4 chars per token this stays under 512 tokens for prose */
    static final int WINDOW_CHARS = 1200;

    private final OrtSession session;
    private final TextTokenizer tokenizer;
    private final List<String> labels;

    OnnxTokenClassifier(byte[] model, byte[] tokenizerJson, List<String> labels, int maxTokens) {
        if (labels.isEmpty()) throw new IllegalArgumentException("labels missing");
        this.labels = List.copyOf(labels);
        this.tokenizer = new TextTokenizer(tokenizerJson, maxTokens, 0);
        this.session = Onnx.session(model);
        Onnx.requireInputs(session);
    }

    public static OnnxTokenClassifier load(ModelFile model, ModelFile tokenizerJson, List<String> labels, int maxTokens)
            throws IOException {
        return new OnnxTokenClassifier(model.verified(), tokenizerJson.verified(), labels, maxTokens);
    }

    /** Entities in {@code text}, ordered by start, non-overlapping. */
    public List<TokenSpan> find(String text) {
        List<TokenSpan> out = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int to = Math.min(text.length(), from + WINDOW_CHARS);
            if (to < text.length()) {
                int ws = to;
                while (ws > from + WINDOW_CHARS / 2 && !Character.isWhitespace(text.charAt(ws))) ws--;
                if (ws > from + WINDOW_CHARS / 2) to = ws;
                else if (Character.isLowSurrogate(text.charAt(to))) to--; // never split a surrogate pair
            }
            window(text, from, to, out);
            from = to;
        }
        return out;
    }

    private void window(String text, int from, int to, List<TokenSpan> out) {
        TextTokenizer.Tokens t = tokenizer.window(text, from, to);
        float[][] logits;
        try (OrtSession.Result r = Onnx.run(session, t.ids())) {
            Object v = r.get(0).getValue();
            if (!(v instanceof float[][][] m)) throw new IllegalStateException("token classifier output is not [1, tokens, labels]");
            logits = m[0];
        } catch (OrtException e) {
            throw new IllegalStateException("token classifier run failed: " + e.getCode(), e);
        }
        String open = null;
        int start = -1, end = -1;
        double minP = 1;
        for (int i = 0; i < t.length() && i < logits.length; i++) {
            if (t.starts()[i] < 0) continue; // special token
            float[] z = logits[i];
            if (z.length != labels.size()) throw new IllegalStateException("token classifier has " + z.length + " labels, configured " + labels.size());
            int best = 0;
            for (int k = 1; k < z.length; k++) if (z[k] > z[best]) best = k;
            double p = softmaxAt(z, best);
            String tag = labels.get(best);
            String type = type(tag);
            boolean begins = tag.startsWith("B-") || tag.startsWith("U-") || tag.startsWith("S-");
            if (type == null || begins || !type.equals(open)) {
                if (open != null) out.add(new TokenSpan(open, start, end, minP));
                open = type;
                start = t.starts()[i];
                minP = 1;
            }
            if (open != null) {
                end = t.ends()[i];
                minP = Math.min(minP, p);
            }
        }
        if (open != null) out.add(new TokenSpan(open, start, end, minP));
    }

    /** "B-PER" → "PER", "O" → null. */
    static String type(String tag) {
        if (tag.equals("O") || tag.isEmpty()) return null;
        if (tag.length() > 2 && tag.charAt(1) == '-' && "BIESLU".indexOf(tag.charAt(0)) >= 0) return tag.substring(2);
        return tag;
    }

    private static double softmaxAt(float[] z, int k) {
        double max = z[k];
        double sum = 0;
        for (float v : z) sum += Math.exp(v - max);
        return 1 / sum;
    }

    @Override
    public void close() {
        Onnx.close(session, tokenizer);
    }
}
