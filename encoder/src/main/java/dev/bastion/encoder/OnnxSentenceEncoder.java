package dev.bastion.encoder;

import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;

/**
 * A sentence encoder over an ONNX transformer whose first output is {@code last_hidden_state} [1, tokens, dim]:
 * mean over the tokens, then L2 normalisation (the sentence-transformers recipe for all-MiniLM-L6-v2). At most
 * {@code maxTokens} tokens are read (head and tail of a longer text); CPU grows with that number (about 75 µs per
 * token for the quantized MiniLM on one core here).
 */
public final class OnnxSentenceEncoder implements SentenceEncoder {
    /** The quantized all-MiniLM-L6-v2 that ships inside the langchain4j embeddings artifact. */
    static final String MINILM_MODEL = "/all-minilm-l6-v2-q.onnx";
    static final String MINILM_TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";

    private final OrtSession session;
    private final TextTokenizer tokenizer;
    private final int dimension;

    OnnxSentenceEncoder(byte[] model, byte[] tokenizerJson, int maxTokens, int tailTokens) {
        this.tokenizer = new TextTokenizer(tokenizerJson, maxTokens, tailTokens);
        this.session = Onnx.session(model);
        Onnx.requireInputs(session);
        this.dimension = embedIds(tokenizer.ids("dimension probe")).length;
    }

    /**
     * all-MiniLM-L6-v2 (quantized; English; 384 dimensions) from the class path, reading at most {@code maxTokens}
     * tokens of a text (its last {@code maxTokens / 4} from the text's end when it is longer).
     */
    public static OnnxSentenceEncoder miniLm(int maxTokens) {
        try {
            return new OnnxSentenceEncoder(ModelFile.resource(MINILM_MODEL), ModelFile.resource(MINILM_TOKENIZER),
                    maxTokens, maxTokens / 4);
        } catch (IOException e) {
            throw new ModelLoadException("all-MiniLM-L6-v2 could not be read", e);
        }
    }

    /** An operator's sentence-transformer (ONNX with a {@code last_hidden_state}-like first output). */
    public static OnnxSentenceEncoder of(ModelFile model, ModelFile tokenizerJson, int maxTokens) throws IOException {
        return new OnnxSentenceEncoder(model.verified(), tokenizerJson.verified(), maxTokens, maxTokens / 4);
    }

    @Override
    public float[] embed(String text) {
        return embedIds(tokenizer.ids(text));
    }

    private float[] embedIds(long[] ids) {
        try (OrtSession.Result r = Onnx.run(session, ids)) {
            OnnxValue v = r.get(0);
            float[][][] h = (float[][][]) v.getValue();
            float[][] tokens = h[0];
            int dim = tokens[0].length;
            float[] mean = new float[dim];
            for (float[] t : tokens) for (int k = 0; k < dim; k++) mean[k] += t[k];
            double norm = 0;
            for (int k = 0; k < dim; k++) norm += (double) mean[k] * mean[k];
            float inv = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
            for (int k = 0; k < dim; k++) mean[k] *= inv;
            return mean;
        } catch (OrtException e) {
            throw new IllegalStateException("encoder run failed: " + e.getCode(), e);
        }
    }

    @Override
    public int dimension() { return dimension; }

    @Override
    public void close() {
        Onnx.close(session, tokenizer);
    }
}
