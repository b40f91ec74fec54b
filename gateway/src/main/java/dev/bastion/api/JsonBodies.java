package dev.bastion.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses request bodies once, under limits: nesting depth, string and number length, and no duplicate keys (two
 * {@code messages} fields could let what Bastion inspects differ from what a backend reads). Error messages give
 * the position, never the content.
 */
public final class JsonBodies {
    private final ObjectMapper mapper;
    private final java.time.Duration bodyDeadline;

    public JsonBodies(int maxDepth, long maxBodyBytes, java.time.Duration bodyDeadline) {
        this.bodyDeadline = bodyDeadline;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxBodyBytes))
                        .maxNumberLength(64)
                        .maxDocumentLength(maxBodyBytes)
                        .build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    public ObjectMapper mapper() { return mapper; }

    /** How long a client may take to send a whole body. */
    public java.time.Duration bodyDeadline() { return bodyDeadline; }

    /** The body as a JSON object; a typed 400 for anything else. */
    public ObjectNode parseObject(byte[] body) {
        if (body.length == 0) throw new ProblemException(ErrorCode.INVALID_JSON, "request body is empty");
        JsonNode node;
        try (JsonParser parser = mapper.createParser(body)) {
            node = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                throw new ProblemException(ErrorCode.INVALID_JSON, "request body has data after the JSON value");
            }
        } catch (StreamConstraintsException e) {
            boolean depth = e.getOriginalMessage() != null && e.getOriginalMessage().contains("nesting depth");
            throw new ProblemException(depth ? ErrorCode.JSON_TOO_DEEP : ErrorCode.INVALID_JSON,
                    depth ? "request body is nested too deeply" : "request body exceeds a JSON size limit");
        } catch (JacksonException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            String what = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? "request body repeats a field" : "request body is not valid JSON";
            throw new ProblemException(ErrorCode.INVALID_JSON, what + where);
        } catch (IOException e) {
            throw new ProblemException(ErrorCode.INVALID_JSON, "request body could not be read");
        }
        if (node == null || !node.isObject()) {
            throw new ProblemException(ErrorCode.INVALID_JSON, "request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /**
     * Bastion's own (admin) bodies are strict: a misspelt field must not be ignored — {@code "model"} for
     * {@code "models"} would otherwise create a key for every model. (The OpenAI routes pass unknown fields on.)
     */
    public static void onlyFields(ObjectNode body, Set<String> allowed) {
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (allowed.contains(f)) continue;
            String shown = f.length() <= 64 && f.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '\'' && c != '"')
                    ? "'" + f + "'" : "(not shown)";
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem("unknown field " + shown + "; expected one of "
                    + String.join(", ", new TreeSet<>(allowed)), null));
        }
    }
}
