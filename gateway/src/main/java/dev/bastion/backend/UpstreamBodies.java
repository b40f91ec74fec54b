package dev.bastion.backend;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.pipeline.ModelRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The body sent to an OpenAI-compatible backend: the client's bytes unchanged when nothing needs to change (so
 * unknown fields always arrive exactly as sent), otherwise the (possibly edited) tree written out with the upstream
 * model name in place of the alias — without copying the tree, which later stages still read.
 */
final class UpstreamBodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UpstreamBodies() {}

    static byte[] forOpenAi(ModelRequest request, String upstreamModel) {
        if (!request.modified() && request.model().equals(upstreamModel)) return request.raw();
        var out = new ByteArrayOutputStream(request.raw().length + 64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (var field : request.json().properties()) {
                g.writeFieldName(field.getKey());
                if (field.getKey().equals("model")) g.writeString(upstreamModel);
                else JSON.writeTree(g, field.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
