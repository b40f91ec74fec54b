package dev.bastion.rag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.backend.BackendAnswer;
import dev.bastion.backend.ModelBackend;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.ProblemException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The built-in encoder as a model backend: {@code /v1/embeddings} requests routed to it are answered in process
 * (nothing leaves the host). It sits behind the whole request chain like any backend — policy, inspection, the
 * registry's approval, audit. {@code usage} counts are estimates (characters / 4): the encoder does not report its
 * token count.
 */
final class BuiltinEmbeddingBackend implements ModelBackend {
    static final int MAX_INPUTS = 256;

    private final String name;
    private final Embeddings embeddings;

    BuiltinEmbeddingBackend(String name, Embeddings embeddings) {
        this.name = name;
        this.embeddings = embeddings;
    }

    @Override
    public String name() { return name; }

    @Override
    public dev.bastion.backend.UpstreamRequest prepare(ModelRequest request, String upstreamModel) {
        if (request.operation() != Operation.EMBEDDING) {
            throw new ProblemException(ErrorCode.UNSUPPORTED_OPERATION.problem(
                    "the built-in encoder only serves /v1/embeddings"));
        }
        try {
            return new dev.bastion.backend.UpstreamRequest(request, "/v1/embeddings",
                    Records.JSON.writeValueAsBytes(request.json().deepCopy().put("model", upstreamModel)), false);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public BackendAnswer send(dev.bastion.backend.UpstreamRequest prepared) {
        ObjectNode body; // the prepared bytes, as audited: exactly what is embedded
        try {
            body = (ObjectNode) Records.JSON.readTree(prepared.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> inputs = inputs(body.get("input"));
        boolean base64 = "base64".equals(body.path("encoding_format").asText("float"));
        ObjectNode out = Records.JSON.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        long chars = 0;
        for (int i = 0; i < inputs.size(); i++) {
            float[] v = embeddings.embed(inputs.get(i));
            chars += inputs.get(i).length();
            ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) buf.putFloat(f);
                e.put("embedding", Base64.getEncoder().encodeToString(buf.array()));
            } else {
                ArrayNode a = e.putArray("embedding");
                for (float f : v) a.add(f);
            }
        }
        out.put("model", body.path("model").asText());
        long tokens = Math.max(1, (chars + 3) / 4);
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        try {
            return new BackendAnswer.Complete(Records.JSON.writeValueAsBytes(out));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> inputs(JsonNode input) {
        List<String> out = new ArrayList<>();
        if (input != null && input.isTextual()) {
            out.add(input.asText());
        } else if (input instanceof ArrayNode list && !list.isEmpty() && list.size() <= MAX_INPUTS) {
            for (JsonNode n : list) {
                if (!n.isTextual()) throw bad();
                out.add(n.asText());
            }
        } else {
            throw bad();
        }
        return out;
    }

    private static ProblemException bad() {
        return new ProblemException(ErrorCode.INVALID_FIELD.problem("the built-in encoder takes input as a string or "
                + "a list of 1 to " + MAX_INPUTS + " strings (no token arrays)", "input"));
    }

    @Override
    public boolean probe() { return true; }

    @Override
    public void close() {}
}
