package dev.bastion.inspect;

import dev.bastion.encoder.OnnxTokenClassifier;
import dev.bastion.encoder.TokenSpan;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pluggable NER slot: an operator's ONNX token classifier ({@link OnnxTokenClassifier}) beside the built-in
 * recognizer, merged by type. Precedence, in this order:
 * <ol>
 *   <li>pattern and checksum detectors (e-mail, phone, SSN, card, IBAN, IP, secrets, ids, dates) beat both
 *   recognizers where they overlap: model scores are capped at {@link #MAX_SCORE}, below theirs, and the inspector
 *   keeps the higher score;</li>
 *   <li>a model span (after the label mapping) beats a built-in recognizer span it overlaps, whatever the types;</li>
 *   <li>built-in findings no model span overlaps are kept (recall of the union), so types the model never emits
 *   stay the built-in recognizer's.</li>
 * </ol>
 * Labels map to entity types by a table (defaults: PER/PERSON → PERSON, LOC/GPE/LOCATION → LOCATION,
 * ORG/ORGANIZATION → ORGANIZATION, ADDRESS/STREET_ADDRESS → STREET_ADDRESS); labels without a mapping are ignored.
 */
public final class OnnxEntityRecognizer implements EntityRecognizer {
    /** below the pattern detectors' scores (0.9–0.99), above the inspector's reporting point */
    static final double MAX_SCORE = 0.85;
    static final Map<String, EntityType> DEFAULT_TYPES = Map.of("PER", EntityType.PERSON, "PERSON", EntityType.PERSON,
            "LOC", EntityType.LOCATION, "GPE", EntityType.LOCATION, "LOCATION", EntityType.LOCATION,
            "ORG", EntityType.ORGANIZATION, "ORGANIZATION", EntityType.ORGANIZATION,
            "ADDRESS", EntityType.STREET_ADDRESS, "STREET_ADDRESS", EntityType.STREET_ADDRESS);

    private final OnnxTokenClassifier model;
    private final Detector builtin;
    private final Map<String, EntityType> types;
    private final double minScore;

    /**
     * @param builtin  the recognizer it sits beside (normally {@link GazetteerEntityRecognizer#standard()})
     * @param types    label → entity type (upper-case labels; null or empty: the defaults)
     * @param minScore model spans below this probability are dropped
     */
    public OnnxEntityRecognizer(OnnxTokenClassifier model, Detector builtin, Map<String, EntityType> types, double minScore) {
        this.model = model;
        this.builtin = builtin;
        Map<String, EntityType> t = new HashMap<>();
        (types == null || types.isEmpty() ? DEFAULT_TYPES : types).forEach((k, v) -> t.put(k.toUpperCase(Locale.ROOT), v));
        this.types = Map.copyOf(t);
        this.minScore = minScore;
    }

    @Override
    public String name() { return "onnx_ner"; }

    @Override
    public void detect(Text text, List<Finding> out) {
        List<Finding> fromModel = new ArrayList<>();
        BitSet covered = new BitSet();
        for (TokenSpan s : model.find(text.value())) {
            EntityType type = types.get(s.label().toUpperCase(Locale.ROOT));
            if (type == null || s.score() < minScore || s.end() <= s.start() || s.end() > text.length()) continue;
            fromModel.add(new Finding(type, s.start(), s.end(), Math.min(MAX_SCORE, s.score())));
            covered.set(s.start(), s.end());
        }
        List<Finding> own = new ArrayList<>();
        builtin.detect(text, own);
        for (Finding f : own) {
            int hit = covered.nextSetBit(f.start());
            boolean overlapped = hit >= 0 && hit < f.end();
            if (!overlapped) out.add(f);
        }
        out.addAll(fromModel);
    }
}
