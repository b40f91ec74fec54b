package dev.bastion.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bastion.pipeline.Operation;

import java.util.ArrayList;
import java.util.List;

/**
 * Every piece of user-controlled text in an OpenAI request body, as writable slots: chat message content (string or
 * text parts), tool-call and legacy function-call arguments (JSON inside a string: each string value inside is a
 * slot, re-serialised when changed; non-JSON arguments are one slot), completion prompts and embedding inputs.
 */
final class RequestTexts {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A place in the body that holds text. {@code role} is the chat role ("user", "tool", …) or the field name. */
    static final class Slot {
        final String role;
        private final ContainerNode<?> parent;
        private final String field;
        private final int index;
        private final Nested nested;
        final String text;

        Slot(String role, ContainerNode<?> parent, String field, int index, String text, Nested nested) {
            this.role = role;
            this.parent = parent;
            this.field = field;
            this.index = index;
            this.text = text;
            this.nested = nested;
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
            if (parent instanceof ObjectNode o) o.put(field, value);
            else ((ArrayNode) parent).set(index, TextNode.valueOf(value));
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

    final List<Slot> slots = new ArrayList<>();
    final List<Nested> nested = new ArrayList<>();

    static RequestTexts of(ObjectNode body, Operation op) {
        RequestTexts r = new RequestTexts();
        switch (op) {
            case CHAT -> {
                JsonNode messages = body.get("messages");
                if (messages instanceof ArrayNode arr) for (JsonNode m : arr) if (m instanceof ObjectNode mo) r.message(mo);
            }
            case COMPLETION -> r.stringOrArray("prompt", body);
            case EMBEDDING -> r.stringOrArray("input", body);
        }
        return r;
    }

    /** Writes changed tool-call arguments back into their strings. Call after setting slots. */
    void commit() {
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
        String role = m.path("role").asText("user");
        JsonNode content = m.get("content");
        if (content != null && content.isTextual()) {
            slots.add(new Slot(role, m, "content", -1, content.asText(), null));
        } else if (content instanceof ArrayNode parts) {
            for (JsonNode p : parts) {
                if (p instanceof ObjectNode po && po.path("text").isTextual()) {
                    slots.add(new Slot(role, po, "text", -1, po.get("text").asText(), null));
                }
            }
        }
        JsonNode calls = m.get("tool_calls");
        if (calls instanceof ArrayNode arr) {
            for (JsonNode call : arr) {
                if (call.get("function") instanceof ObjectNode fn) arguments(role, fn);
            }
        }
        if (m.get("function_call") instanceof ObjectNode fn) arguments(role, fn);
    }

    private void arguments(String role, ObjectNode fn) {
        JsonNode args = fn.get("arguments");
        if (args == null || !args.isTextual()) return;
        Slot outer = new Slot(role, fn, "arguments", -1, args.asText(), null);
        JsonNode tree;
        try {
            tree = JSON.readTree(args.asText());
        } catch (JsonProcessingException e) {
            tree = null;
        }
        if (!(tree instanceof ContainerNode<?>)) {
            slots.add(outer);
            return;
        }
        Nested n = new Nested(tree, outer);
        nested.add(n);
        strings(role, (ContainerNode<?>) tree, n, 0);
    }

    private void strings(String role, ContainerNode<?> node, Nested n, int depth) {
        if (depth > 64) throw new IllegalArgumentException("tool arguments nested too deeply");
        if (node instanceof ObjectNode o) {
            for (var it = o.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                JsonNode v = e.getValue();
                if (v.isTextual()) slots.add(new Slot(role, o, e.getKey(), -1, v.asText(), n));
                else if (v instanceof ContainerNode<?> c) strings(role, c, n, depth + 1);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode v = a.get(i);
                if (v.isTextual()) slots.add(new Slot(role, a, null, i, v.asText(), n));
                else if (v instanceof ContainerNode<?> c) strings(role, c, n, depth + 1);
            }
        }
    }

    private void stringOrArray(String field, ObjectNode body) {
        JsonNode v = body.get(field);
        if (v == null) return;
        if (v.isTextual()) {
            slots.add(new Slot(field, body, field, -1, v.asText(), null));
        } else if (v instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) slots.add(new Slot(field, a, null, i, a.get(i).asText(), null));
            }
        }
    }
}
