package dev.bastion.rag;

import dev.bastion.encoder.OnnxSentenceEncoder;
import dev.bastion.encoder.SentenceEncoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * The in-process sentence encoder retrieval embeds with — all-MiniLM-L6-v2 (quantized, 384 dimensions, from the
 * {@code encoder} module) by default — loaded on first use and shared by ingestion, retrieval and the built-in
 * embeddings model. Nothing leaves the process.
 */
final class Embeddings implements AutoCloseable {
    /** The ONNX file inside the langchain4j artifact the encoder module reads. */
    static final String MINILM_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    static final String MINILM_NAME = "all-minilm-l6-v2-q";

    private final Supplier<SentenceEncoder> factory;
    private volatile SentenceEncoder encoder;

    Embeddings(Supplier<SentenceEncoder> factory) {
        this.factory = factory;
    }

    /** all-MiniLM-L6-v2, reading at most 256 word pieces per text (what sentence-transformers uses for it). */
    static Embeddings miniLm() { return new Embeddings(() -> OnnxSentenceEncoder.miniLm(256)); }

    float[] embed(String text) { return encoder().embed(text); }

    int dimension() { return encoder().dimension(); }

    private SentenceEncoder encoder() {
        SentenceEncoder e = encoder;
        if (e == null) {
            synchronized (this) {
                if (encoder == null) encoder = factory.get();
                e = encoder;
            }
        }
        return e;
    }

    /** SHA-256 (hex) of the built-in model's ONNX file: what the model registry binds the built-in alias to. */
    static String miniLmSha256() {
        try (InputStream in = Embeddings.class.getResourceAsStream(MINILM_RESOURCE)) {
            if (in == null) throw new IllegalStateException("built-in encoder model missing from the class path");
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (encoder != null) encoder.close();
        encoder = null;
    }
}
