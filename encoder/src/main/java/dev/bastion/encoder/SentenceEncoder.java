package dev.bastion.encoder;

/**
 * Text → fixed-size sentence embedding (L2-normalised, so a dot product is the cosine similarity). Implementations
 * are thread-safe, keep nothing of the text, and cost CPU roughly linear in the number of tokens they read (each
 * caps it; see {@link OnnxSentenceEncoder}).
 */
public interface SentenceEncoder extends AutoCloseable {

    /** The embedding of {@code text}; a new array of length {@link #dimension()}. */
    float[] embed(String text);

    int dimension();

    /** Releases native resources; the encoder must not be used afterwards. */
    @Override
    void close();
}
