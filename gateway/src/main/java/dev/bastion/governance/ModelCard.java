package dev.bastion.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the people responsible say about a model: intended use, uses that are out of scope, training data sources,
 * licence, limitations and failure modes, risk tier and a contact. Evaluation results are attached by Bastion, not
 * written here (see {@link CardDocument}). Every field is optional while drafting; approval needs all of them.
 */
public record ModelCard(String intendedUse, List<String> outOfScopeUses, List<String> trainingData, String licence,
                        List<String> limitations, RiskTier risk, String contact) {

    static final Set<String> FIELDS = Set.of("intended_use", "out_of_scope_uses", "training_data", "licence",
            "limitations", "risk", "contact");
    private static final int MAX_TEXT = 4000;
    private static final int MAX_ITEMS = 50;
    static final ModelCard EMPTY = new ModelCard(null, List.of(), List.of(), null, List.of(), null, null);

    public ModelCard {
        outOfScopeUses = List.copyOf(outOfScopeUses);
        trainingData = List.copyOf(trainingData);
        limitations = List.copyOf(limitations);
    }

    /** The fields approval still needs, by their JSON names; empty when the card is complete. */
    public List<String> missing() {
        List<String> out = new ArrayList<>();
        if (blank(intendedUse)) out.add("intended_use");
        if (outOfScopeUses.isEmpty()) out.add("out_of_scope_uses");
        if (trainingData.isEmpty()) out.add("training_data");
        if (blank(licence)) out.add("licence");
        if (limitations.isEmpty()) out.add("limitations");
        if (risk == null) out.add("risk");
        if (blank(contact)) out.add("contact");
        return out;
    }

    /**
     * Parses the card fields of a request body (unknown fields are the caller's concern).
     *
     * @throws IllegalArgumentException naming the field, never echoing its value
     */
    static ModelCard parse(JsonNode o) {
        return new ModelCard(text(o, "intended_use"), list(o, "out_of_scope_uses"), list(o, "training_data"),
                text(o, "licence"), list(o, "limitations"), risk(o), text(o, "contact"));
    }

    void write(ObjectNode o) {
        put(o, "intended_use", intendedUse);
        o.set("out_of_scope_uses", array(outOfScopeUses));
        o.set("training_data", array(trainingData));
        put(o, "licence", licence);
        o.set("limitations", array(limitations));
        put(o, "risk", risk == null ? null : risk.wire());
        put(o, "contact", contact);
    }

    private static RiskTier risk(JsonNode o) {
        String r = text(o, "risk");
        if (r == null) return null;
        return RiskTier.parse(r).orElseThrow(() -> new IllegalArgumentException("risk: low, medium or high"));
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > MAX_TEXT) {
            throw new IllegalArgumentException(field + ": a string of 1 to " + MAX_TEXT + " characters");
        }
        return v.asText().strip();
    }

    private static List<String> list(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return List.of();
        if (v.isTextual()) return List.of(text(o, field));
        if (!v.isArray() || v.size() > MAX_ITEMS) {
            throw new IllegalArgumentException(field + ": a string or an array of at most " + MAX_ITEMS + " strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode i : v) {
            if (!i.isTextual() || i.asText().isBlank() || i.asText().length() > MAX_TEXT) {
                throw new IllegalArgumentException(field + ": items are strings of 1 to " + MAX_TEXT + " characters");
            }
            out.add(i.asText().strip());
        }
        return out;
    }

    private static boolean blank(String s) { return s == null || s.isBlank(); }

    private static void put(ObjectNode o, String field, String value) {
        if (value == null) o.putNull(field);
        else o.put(field, value);
    }

    private static ArrayNode array(List<String> items) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        items.forEach(a::add);
        return a;
    }
}
