package dev.bastion.encoder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The built-in all-MiniLM-L6-v2 from the class path (no network): shape, normalisation, and that it means something. */
class MiniLmEncoderTest {
    static OnnxSentenceEncoder enc;

    @BeforeAll
    static void load() {
        enc = OnnxSentenceEncoder.miniLm(128);
    }

    @AfterAll
    static void close() {
        enc.close();
    }

    static double cos(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Test
    void embeddingsHave384DimensionsAndUnitLength() {
        float[] v = enc.embed("The invoice was paid on the third of May.");
        assertThat(enc.dimension()).isEqualTo(384);
        assertThat(v).hasSize(384);
        assertThat(cos(v, v)).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void aParaphraseIsCloserThanAnUnrelatedSentence() {
        float[] a = enc.embed("How do I reset my password?");
        float[] b = enc.embed("I forgot my password, how can I change it?");
        float[] c = enc.embed("The recipe needs two eggs and a cup of flour.");
        assertThat(cos(a, b)).isGreaterThan(cos(a, c) + 0.3);
    }

    @Test
    void theSameTextGivesTheSameEmbeddingAndLongTextsStayBounded() {
        assertThat(enc.embed("same text")).containsExactly(enc.embed("same text"), within(1e-6f));
        String huge = "word ".repeat(200_000);
        assertThat(enc.embed(huge)).hasSize(384);
        assertThat(enc.embed("")).hasSize(384);
    }
}
