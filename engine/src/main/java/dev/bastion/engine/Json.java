package dev.bastion.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One configured JSON mapper: bounded nesting and sizes for what clients send. */
final class Json {
    static final ObjectMapper MAPPER;

    static {
        MAPPER = JsonMapper.builder()
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32)
                .maxNumberLength(64)
                .maxStringLength(64 << 20)
                .build());
    }

    private Json() {}

    static ObjectNode object() { return MAPPER.createObjectNode(); }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree", e);
        }
    }

    /** Parses a request body that must be a JSON object. */
    static ObjectNode parseObject(byte[] body) throws HttpProblem {
        JsonNode n;
        try {
            n = MAPPER.readTree(body);
        } catch (java.io.IOException | RuntimeException e) {
            throw EngineError.INVALID_JSON.problem("body is not valid JSON");
        }
        if (!(n instanceof ObjectNode o)) throw EngineError.INVALID_JSON.problem("body must be a JSON object");
        return o;
    }

    static byte[] error(HttpProblem p) {
        ObjectNode err = object();
        err.put("message", p.getMessage());
        err.put("type", p.error().type());
        err.put("code", p.error().code());
        if (p.param() != null) err.put("param", p.param());
        else err.putNull("param");
        ObjectNode root = object();
        root.set("error", err);
        return bytes(root);
    }
}
