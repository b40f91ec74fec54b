package dev.bastion.server;

import dev.bastion.config.InspectSettings;
import dev.bastion.encoder.ModelFile;
import dev.bastion.encoder.OnnxSequenceClassifier;
import dev.bastion.encoder.OnnxTokenClassifier;
import dev.bastion.inspect.EntityType;
import dev.bastion.inspect.GazetteerEntityRecognizer;
import dev.bastion.inspect.Inspector;
import dev.bastion.inspect.OnnxEntityRecognizer;
import dev.bastion.inspect.OnnxInjectionClassifier;
import dev.bastion.inspect.PromptInjectionDetector;
import dev.bastion.inspect.Spotlighter;
import dev.bastion.inspect.UntrustedContent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The inspection objects the {@code inspect} settings ask for: the injection cascade's second stage (built-in,
 * operator ONNX or none), an operator NER model beside the built-in recognizer, and untrusted-content marking.
 * Operator models are loaded once at start and refused on a digest mismatch (the server does not start).
 */
record InspectionSetup(Inspector inspector, UntrustedContent untrusted, Spotlighter spotlighter) {

    static InspectionSetup from(InspectSettings s) {
        Inspector.Builder b = Inspector.builder();
        InspectSettings.Injection inj = s.injection();
        switch (inj.secondStage()) {
            case BUILTIN -> b.injection(PromptInjectionDetector.standard());
            case NONE -> b.injection(PromptInjectionDetector.linearOnly());
            case ONNX -> b.injection(PromptInjectionDetector.cascade(new OnnxInjectionClassifier(
                    load(() -> OnnxSequenceClassifier.load(file(inj.onnx(), true), file(inj.onnx(), false),
                            inj.label(), inj.maxTokens())), inj.refuseAt()), inj.bandLow(), inj.bandHigh()));
        }
        if (s.ner() != null) {
            InspectSettings.Ner n = s.ner();
            Map<String, EntityType> types = new HashMap<>();
            n.types().forEach((label, type) -> {
                try {
                    types.put(label, EntityType.valueOf(type));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("inspect.ner.types." + label + ": unknown entity type " + type);
                }
            });
            OnnxTokenClassifier model = load(() -> OnnxTokenClassifier.load(file(n.model(), true), file(n.model(), false),
                    n.labels(), n.maxTokens()));
            b.recognizer(new OnnxEntityRecognizer(model, GazetteerEntityRecognizer.standard(), types, n.minScore()));
        }
        InspectSettings.Untrusted u = s.untrusted();
        UntrustedContent untrusted = new UntrustedContent(java.util.Set.copyOf(u.roles()), u.documentTags(), u.quotedEmail());
        Spotlighter.Mode mode = switch (u.spotlight()) {
            case OFF -> Spotlighter.Mode.OFF;
            case DELIMIT -> Spotlighter.Mode.DELIMIT;
            case DATAMARK -> Spotlighter.Mode.DATAMARK;
        };
        return new InspectionSetup(b.build(), untrusted, mode == Spotlighter.Mode.OFF ? null : new Spotlighter(mode, untrusted));
    }

    private static ModelFile file(InspectSettings.OnnxModel m, boolean weights) {
        return weights ? new ModelFile(m.model(), m.modelSha256()) : new ModelFile(m.tokenizer(), m.tokenizerSha256());
    }

    private interface Load<T> {
        T get() throws IOException;
    }

    private static <T> T load(Load<T> l) {
        try {
            return l.get();
        } catch (IOException e) {
            throw new UncheckedIOException("operator model could not be read", e);
        }
    }
}
