package dev.bastion.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The one place a {@link Problem} becomes an OpenAI-style error body:
 * {@code {"error":{"message","type","param","code", …details}}}.
 */
public final class ProblemJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ProblemJson() {}

    public static byte[] render(Problem problem) {
        var out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", problem.message());
            g.writeStringField("type", problem.code().type());
            if (problem.param() == null) g.writeNullField("param");
            else g.writeStringField("param", problem.param());
            g.writeStringField("code", problem.code().code());
            for (Map.Entry<String, String> d : problem.details().entrySet()) {
                if (!d.getKey().equals("retry_after")) g.writeStringField(d.getKey(), d.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
