package dev.bastion.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The dry run behind {@code bastion inspect} and {@code POST /bastion/v1/inspect}: text in, findings out, nothing
 * changed. Output never contains the text or detected values, only types, offsets and scores.
 */
public final class DryRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Inspector inspector;

    public DryRun(Inspector inspector) {
        this.inspector = inspector;
    }

    /** {@code {"findings":[{"type","start","end","score"}]}} or {@code {"error":{"code","detector","reason"}}}. */
    public ObjectNode findingsJson(String text) {
        ObjectNode out = JSON.createObjectNode();
        switch (inspector.inspect(text)) {
            case Inspection.Found f -> {
                ArrayNode arr = out.putArray("findings");
                for (Finding x : f.findings()) {
                    ObjectNode o = arr.addObject();
                    o.put("type", x.type().name());
                    o.put("start", x.start());
                    o.put("end", x.end());
                    o.put("score", x.score());
                }
            }
            case Inspection.Failed f -> {
                ObjectNode e = out.putObject("error");
                e.put("code", "inspection_failed");
                e.put("detector", f.detector());
                e.put("reason", f.reason());
            }
        }
        return out;
    }

    /**
     * One JSON line {@code {"id","text"}} → one result line {@code {"id","findings":[…]}}; a malformed line gives
     * {@code {"id":…,"error":{"code":…,"message":…}}} (id null when it cannot be read). Never throws for input.
     */
    public String line(String line) {
        JsonNode in;
        try {
            in = JSON.readTree(line);
        } catch (Exception e) {
            return error(null, "invalid_json", "line is not valid JSON");
        }
        if (!(in instanceof ObjectNode o)) return error(null, "invalid_line", "line must be a JSON object");
        JsonNode id = o.get("id");
        JsonNode text = o.get("text");
        if (text == null || !text.isTextual()) return error(id, "missing_text", "field \"text\" must be a string");
        ObjectNode out = JSON.createObjectNode();
        out.set("id", id);
        out.setAll(findingsJson(text.asText()));
        return out.toString();
    }

    private static String error(JsonNode id, String code, String message) {
        ObjectNode out = JSON.createObjectNode();
        out.set("id", id == null || !(id.isTextual() || id.isNumber()) ? null : id);
        ObjectNode e = out.putObject("error");
        e.put("code", code);
        e.put("message", message);
        return out.toString();
    }
}
