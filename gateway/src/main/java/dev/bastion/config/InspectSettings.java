package dev.bastion.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code inspect} section: the injection cascade's second stage, untrusted-content marking, and an optional
 * operator NER model. Every key is in docs/configuration.md.
 *
 * @param injection how texts in the injection cascade's uncertain band are decided
 * @param untrusted which text is data (tool results, documents, quoted e-mail) and how it is marked
 * @param ner       an operator's ONNX token classifier beside the built-in recognizer (null: none)
 */
public record InspectSettings(Injection injection, Untrusted untrusted, Ner ner) {

    public static final InspectSettings DEFAULTS = new InspectSettings(
            new Injection(SecondStage.BUILTIN, null, 1, 0.5, 0.5, 0.9, 256),
            new Untrusted(Spotlight.DELIMIT, List.of("tool", "function"),
                    List.of("document", "documents", "doc", "context", "search_results", "retrieved", "source", "email"), true),
            null);

    public enum SecondStage { BUILTIN, ONNX, NONE }

    public enum Spotlight { OFF, DELIMIT, DATAMARK }

    /** An operator-supplied model: ONNX weights and tokenizer.json, each pinned by SHA-256. */
    public record OnnxModel(Path model, String modelSha256, Path tokenizer, String tokenizerSha256) {}

    /**
     * @param secondStage built-in MiniLM head, an operator's ONNX sequence classifier, or none (linear model only)
     * @param onnx        the operator's model (second-stage {@code onnx} only)
     * @param label       index of the injection label in the model's output
     * @param refuseAt    the model's probability that counts as the refuse point (mapped to score 0.8)
     * @param bandLow     linear scores from here …
     * @param bandHigh    … up to here (exclusive) go to the operator's model ({@code 0} and {@code 1}: every text)
     * @param maxTokens   tokens the operator's model reads per text (head and tail)
     */
    public record Injection(SecondStage secondStage, OnnxModel onnx, int label, double refuseAt, double bandLow,
                            double bandHigh, int maxTokens) {}

    /**
     * @param spotlight    how untrusted text is marked in forwarded chat requests
     * @param roles        chat roles whose whole content is untrusted
     * @param documentTags element names whose content is a retrieved document
     * @param quotedEmail  whether quoted e-mail inside messages is untrusted
     */
    public record Untrusted(Spotlight spotlight, List<String> roles, List<String> documentTags, boolean quotedEmail) {
        public Untrusted {
            roles = List.copyOf(roles);
            documentTags = List.copyOf(documentTags);
        }
    }

    /**
     * @param model     the token classifier
     * @param labels    label names in the model's output order (its id2label)
     * @param types     label → entity type name (empty: PER/LOC/ORG/… defaults)
     * @param maxTokens tokens per window
     * @param minScore  spans whose weakest token is less probable are dropped
     */
    public record Ner(OnnxModel model, List<String> labels, Map<String, String> types, int maxTokens, double minScore) {
        public Ner {
            labels = List.copyOf(labels);
            types = Map.copyOf(types);
        }
    }
}
