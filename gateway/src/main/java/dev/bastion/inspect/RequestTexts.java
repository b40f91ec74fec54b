package dev.bastion.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.ProblemException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every string of an OpenAI request body that reaches a backend, as writable slots — not only message text: tool
 * and function definitions, {@code response_format} schemas, {@code messages[].name}, {@code user}, {@code metadata},
 * {@code stop}, vendor fields ({@code documents}, {@code chat_template}, …) and object keys that are not protocol
 * field names. The exceptions are listed once, in {@link TextSchema}; an unknown field is text (fail closed).
 * Tool-call and function-call arguments are JSON inside a string: each string (and free key) inside is a slot, and
 * the arguments are re-serialised when one changes; arguments that are not JSON are one slot.
 */
final class RequestTexts {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Deeper than this is refused (tool arguments are parsed here without the body parser's depth limit). */
    private static final int MAX_DEPTH = 64;
    private static final int KEY = -2;

    /**
     * A place in the body that holds text. {@code role} is the chat role of the message it belongs to ("user",
     * "tool", …), {@code prompt}/{@code input}, or {@code field:<name>} for the other top-level fields.
     */
    static final class Slot {
        final String role;
        private final ContainerNode<?> parent;
        private final String field;
        private final int index;
        private final Nested nested;
        private final RequestTexts owner;
        final String text;

        Slot(String role, ContainerNode<?> parent, String field, int index, String text, Nested nested) {
            this(role, parent, field, index, text, nested, null);
        }

        private Slot(String role, ContainerNode<?> parent, String field, int index, String text, Nested nested,
                     RequestTexts owner) {
            this.role = role;
            this.parent = parent;
            this.field = field;
            this.index = index;
            this.text = text;
            this.nested = nested;
            this.owner = owner;
        }

        /** The slot's text now (after {@link #set}); null when the node is no longer a string. */
        String current() {
            JsonNode v = parent instanceof ObjectNode o ? o.get(field) : ((ArrayNode) parent).get(index);
            return v != null && v.isTextual() ? v.asText() : null;
        }

        /** Whether this is a string inside tool-call arguments (the model's own call), not message text. */
        boolean isToolArgument() {
            return nested != null || "arguments".equals(field);
        }

        void set(String value) {
            if (index == KEY) {
                owner.renames.add(new Rename((ObjectNode) parent, field, value));
            } else if (parent instanceof ObjectNode o) {
                o.put(field, value);
            } else {
                ((ArrayNode) parent).set(index, TextNode.valueOf(value));
            }
            if (nested != null) nested.dirty = true;
        }
    }

    /** A JSON document inside a string (tool-call arguments), written back to its own slot when changed. */
    static final class Nested {
        final JsonNode tree;
        final Slot outer;
        boolean dirty;

        Nested(JsonNode tree, Slot outer) {
            this.tree = tree;
            this.outer = outer;
        }
    }

    /** An object key to rewrite at commit (after the values, which still address the old key). */
    private record Rename(ObjectNode object, String from, String to) {}

    final List<Slot> slots = new ArrayList<>();
    final List<Nested> nested = new ArrayList<>();
    private final List<Rename> renames = new ArrayList<>();

    /** @throws ProblemException (400) when the body (or JSON inside tool arguments) nests too deeply */
    static RequestTexts of(ObjectNode body, Operation op) {
        RequestTexts r = new RequestTexts();
        for (var it = body.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            String key = e.getKey();
            r.key("", body, key, roleOf(key), null);
            if (key.equals("messages") && e.getValue() instanceof ArrayNode messages) {
                for (JsonNode m : messages) {
                    if (m instanceof ObjectNode mo) r.message(mo);
                    else r.walk(m, "messages[]", "user", null, messages, null, -1, 1);
                }
            } else {
                r.walk(e.getValue(), key, roleOf(key), null, body, key, -1, 1);
            }
        }
        return r;
    }

    private static String roleOf(String topLevelField) {
        return topLevelField.equals("prompt") || topLevelField.equals("input") ? topLevelField : "field:" + topLevelField;
    }

    /** Writes renamed keys and changed tool-call arguments back into the body. Call after setting slots. */
    void commit() {
        for (Rename r : renames) rename(r.object(), r.from(), r.to());
        for (Nested n : nested) {
            if (!n.dirty) continue;
            try {
                n.outer.set(JSON.writeValueAsString(n.tree));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot re-serialise tool arguments", e);
            }
        }
    }

    private void message(ObjectNode m) {
        JsonNode r = m.get("role");
        String role = r != null && r.isTextual() ? r.asText() : "user";
        for (var it = m.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            String key = e.getKey();
            key("messages[]", m, key, role, null);
            String path = "messages[]." + key;
            if (key.equals("function_call") && e.getValue() instanceof ObjectNode fn) {
                function(role, fn, path, 2);
            } else if (key.equals("tool_calls") && e.getValue() instanceof ArrayNode calls) {
                for (int i = 0; i < calls.size(); i++) {
                    JsonNode call = calls.get(i);
                    if (call instanceof ObjectNode co) {
                        for (var ci = co.properties().iterator(); ci.hasNext(); ) {
                            var ce = ci.next();
                            key(path + "[]", co, ce.getKey(), role, null);
                            if (ce.getKey().equals("function") && ce.getValue() instanceof ObjectNode fn) {
                                function(role, fn, path + "[].function", 3);
                            } else {
                                walk(ce.getValue(), path + "[]." + ce.getKey(), role, null, co, ce.getKey(), -1, 3);
                            }
                        }
                    } else {
                        walk(call, path + "[]", role, null, calls, null, i, 2);
                    }
                }
            } else {
                walk(e.getValue(), path, role, null, m, key, -1, 2);
            }
        }
    }

    /** A function call: its {@code arguments} string is JSON to look into; its other fields are walked as usual. */
    private void function(String role, ObjectNode fn, String path, int depth) {
        for (var it = fn.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            key(path, fn, e.getKey(), role, null);
            if (e.getKey().equals("arguments") && e.getValue().isTextual()) arguments(role, fn, depth);
            else walk(e.getValue(), path + "." + e.getKey(), role, null, fn, e.getKey(), -1, depth + 1);
        }
    }

    private void arguments(String role, ObjectNode fn, int depth) {
        String args = fn.get("arguments").asText();
        Slot outer = new Slot(role, fn, "arguments", -1, args, null);
        JsonNode tree;
        try {
            tree = JSON.readTree(args);
        } catch (JsonProcessingException e) {
            tree = null;
        }
        if (!(tree instanceof ContainerNode<?> container)) {
            slots.add(outer);
            return;
        }
        Nested n = new Nested(tree, outer);
        nested.add(n);
        // inside the arguments every string and every key is the caller's: no protocol words to skip
        walk(container, "(arguments)", role, n, null, null, -1, depth + 1);
    }

    /** Adds a slot for every string under {@code node}, except what {@link TextSchema} says is not text. */
    private void walk(JsonNode node, String path, String role, Nested n, ContainerNode<?> parent, String field,
                      int index, int depth) {
        if (depth > MAX_DEPTH) {
            // hostile input, not a detector failure: a 400, never a 503
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem(
                    "the request (or tool-call arguments inside it) nests more than " + MAX_DEPTH + " levels deep"));
        }
        if (node.isTextual()) {
            String text = node.asText();
            if (!TextSchema.notText(path, text)) slots.add(new Slot(role, parent, field, index, text, n));
        } else if (node instanceof ObjectNode o) {
            for (var it = o.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                key(path, o, e.getKey(), role, n);
                walk(e.getValue(), path + "." + e.getKey(), role, n, o, e.getKey(), -1, depth + 1);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) walk(a.get(i), path + "[]", role, n, a, null, i, depth + 1);
        }
    }

    /** An object key is text unless it is a protocol field name (inside tool arguments every key is text). */
    private void key(String path, ObjectNode object, String key, String role, Nested n) {
        boolean inArguments = n != null;
        if (!inArguments && TextSchema.keyNotText(path, key)) return;
        slots.add(new Slot(role, object, key, KEY, key, n, this));
    }

    /** Renames {@code from} to {@code to} in place, keeping the order; a clash gets a numbered suffix. */
    private static void rename(ObjectNode o, String from, String to) {
        if (from.equals(to) || !o.has(from)) return;
        String target = to;
        for (int i = 2; o.has(target) && !target.equals(from); i++) target = to + "#" + i;
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        for (var it = o.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            copy.put(e.getKey().equals(from) ? target : e.getKey(), e.getValue());
        }
        o.removeAll();
        o.setAll(copy);
    }
}
