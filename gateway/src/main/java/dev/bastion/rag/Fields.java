package dev.bastion.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Strict reading of the JSON fields of retrieval's API bodies: 400 naming the field, never echoing a value. */
final class Fields {
    /** Role, purpose, attribute and principal strings as the rest of Bastion accepts them. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@#=+-]{0,199}");
    private static final int MAX_LIST = 64;

    static String string(JsonNode body, String field, String fallback, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isTextual() || n.asText().length() > max) throw invalid(field, "a string of at most " + max + " characters");
        return n.asText();
    }

    static String required(JsonNode body, String field, int max) {
        String s = string(body, field, null, max);
        if (s == null || s.isBlank()) {
            throw new ProblemException(ErrorCode.MISSING_FIELD.problem(field + " is required", field));
        }
        return s;
    }

    static int integer(JsonNode body, String field, int fallback, int min, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min || n.asInt() > max) {
            throw invalid(field, "an integer from " + min + " to " + max);
        }
        return n.asInt();
    }

    static boolean bool(JsonNode body, String field, boolean fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isBoolean()) throw invalid(field, "true or false");
        return n.asBoolean();
    }

    /** A list of labels; null when absent (or null). */
    static List<String> labels(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isArray() || n.size() > MAX_LIST) throw invalid(field, "a list of at most " + MAX_LIST + " names");
        List<String> out = new ArrayList<>();
        for (JsonNode v : n) {
            if (!v.isTextual() || !LABEL.matcher(v.asText()).matches()) throw invalid(field, "a list of names");
            if (!out.contains(v.asText())) out.add(v.asText());
        }
        return out;
    }

    static Collection.AccessRule access(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return new Collection.AccessRule(List.of(), null, "");
        if (!n.isObject()) throw invalid(field, "an object with roles, purposes and when");
        onlyFields((ObjectNode) n, field, Set.of("roles", "purposes", "when"));
        List<String> roles = labels(n, "roles");
        return new Collection.AccessRule(roles == null ? List.of() : roles, labels(n, "purposes"),
                string(n, "when", "", 4096));
    }

    static DocumentRecord.DocumentAcl acl(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return DocumentRecord.DocumentAcl.NONE;
        if (!n.isObject()) throw invalid(field, "an object with roles, principals and attributes");
        onlyFields((ObjectNode) n, field, Set.of("roles", "principals", "attributes"));
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        JsonNode a = n.get("attributes");
        if (a != null && !a.isNull()) {
            if (!a.isObject() || a.size() > MAX_LIST) throw invalid(field + ".attributes", "an object of name → values");
            for (var e : a.properties()) {
                if (!LABEL.matcher(e.getKey()).matches()) throw invalid(field + ".attributes", "attribute names");
                List<String> values = labels(a, e.getKey());
                attributes.put(e.getKey(), values == null ? List.of() : values);
            }
        }
        List<String> roles = labels(n, "roles");
        List<String> principals = labels(n, "principals");
        return new DocumentRecord.DocumentAcl(roles == null ? List.of() : roles,
                principals == null ? List.of() : principals, attributes);
    }

    static void onlyFields(ObjectNode node, String where, Set<String> allowed) {
        for (var it = node.fieldNames(); it.hasNext(); ) {
            if (!allowed.contains(it.next())) throw invalid(where, "an object with only " + allowed);
        }
    }

    static ProblemException invalid(String field, String expected) {
        return new ProblemException(ErrorCode.INVALID_FIELD.problem(field + " must be " + expected, field));
    }

    private Fields() {}
}
