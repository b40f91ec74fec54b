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
        return lastIndexOf(json) >= 0;
    }

    /**
     * The usage object of an answer or chunk, or {@link #UNKNOWN}. Only the object after the last {@code "usage"}
     * key is parsed: inside JSON strings quotes are escaped, so the marker can only be a key, and the OpenAI
     * schema has no other {@code usage} key than the top-level one.
     */
    static Usage of(byte[] json) {
        int at = lastIndexOf(json);
        if (at < 0) return UNKNOWN;
        int i = at + MARKER.length;
        while (i < json.length && (json[i] == ' ' || json[i] == ':' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t')) i++;
        if (i >= json.length || json[i] != '{') return UNKNOWN;
        try (JsonParser p = FACTORY.createParser(json, i, json.length - i)) {
            return p.nextToken() == JsonToken.START_OBJECT ? readUsage(p) : UNKNOWN;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    private static int lastIndexOf(byte[] json) {
        outer:
        for (int i = json.length - MARKER.length; i >= 0; i--) {
            for (int j = 0; j < MARKER.length; j++) {
                if (json[i + j] != MARKER[j]) continue outer;
            }
            return i;
        }
        return -1;
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
