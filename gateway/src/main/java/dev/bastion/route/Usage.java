package dev.bastion.route;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Token counts read from an answer's {@code usage} object with a streaming scan (no tree), because it runs on
 * every answer. Unknown counts are -1.
 */
record Usage(long promptTokens, long completionTokens) {
    static final Usage UNKNOWN = new Usage(-1, -1);
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final byte[] MARKER = "\"usage\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Cheap pre-check for stream chunks: only chunks mentioning usage are parsed. */
    static boolean mentionsUsage(byte[] json) {
        outer:
        for (int i = 0; i <= json.length - MARKER.length; i++) {
            for (int j = 0; j < MARKER.length; j++) {
                if (json[i + j] != MARKER[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    /** The top-level usage of an answer or chunk, or {@link #UNKNOWN}. */
    static Usage of(byte[] json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return UNKNOWN;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("usage".equals(name) && value == JsonToken.START_OBJECT) return readUsage(p);
                p.skipChildren();
            }
        } catch (IOException e) {
            return UNKNOWN;
        }
        return UNKNOWN;
    }

    private static Usage readUsage(JsonParser p) throws IOException {
        long prompt = -1;
        long completion = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_NUMBER_INT) {
                if ("prompt_tokens".equals(name)) prompt = p.getLongValue();
                else if ("completion_tokens".equals(name)) completion = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
        return new Usage(prompt, completion);
    }
}
