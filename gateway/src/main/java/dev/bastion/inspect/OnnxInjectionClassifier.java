package dev.bastion.inspect;

import dev.bastion.encoder.OnnxSequenceClassifier;

/**
 * An operator's ONNX sequence classifier (Prompt Guard, a DeBERTa injection model, …) as the cascade's second
 * stage: its probability for the configured label, with {@code refuseAt} (the operator's chosen probability) mapped
 * to the cascade's refuse point.
 */
public final class OnnxInjectionClassifier implements InjectionSecondStage {
    private final OnnxSequenceClassifier model;
    private final double refuseLogit;

    public OnnxInjectionClassifier(OnnxSequenceClassifier model, double refuseAt) {
        if (!(refuseAt > 0 && refuseAt < 1)) throw new IllegalArgumentException("refuse-at must be in (0, 1)");
        this.model = model;
        this.refuseLogit = Math.log(refuseAt / (1 - refuseAt));
    }

    @Override
    public double bandLogit(String text, double linearLogit) {
        double p = Math.min(1 - 1e-9, Math.max(1e-9, model.probability(text)));
        return Math.log(p / (1 - p)) - refuseLogit;
    }

    @Override
    public String name() { return "onnx_classifier"; }

    @Override
    public void close() {
        model.close();
    }
}
