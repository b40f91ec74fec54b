package dev.bastion.inspect;

/**
 * The prompt-injection cascade's second stage: asked only about texts whose linear score falls in the uncertain band
 * (see {@link PromptInjectionDetector}), so its cost is paid for a few texts in a hundred. Implementations: the
 * built-in {@link EmbeddingInjectionHead} over all-MiniLM-L6-v2 sentence embeddings, and
 * {@link OnnxInjectionClassifier} for an operator's own ONNX sequence classifier. Thread-safe; keeps nothing.
 */
public interface InjectionSecondStage extends AutoCloseable {

    /**
     * A logit whose 0 is the refuse point: the cascade turns it into a score of 0.8 at 0 (the gateway's refusing
     * score under a block obligation), 0.5 (the flagging score) at about −1.4.
     *
     * @param linearLogit the linear stage's logit for the same text (0 = its flagging point)
     */
    double bandLogit(String text, double linearLogit);

    String name();

    @Override
    void close();
}
