package dev.bastion.api;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an {@link AdminHandler} answers: status, content type, body, extra headers, and for an error answer that is
 * not a {@code ProblemException} (the policy reload's 422 with its error list) the stable error code.
 */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers, String errorCode) {

    public Reply {
        headers = Map.copyOf(headers);
    }

    /** A JSON answer: {@code body} is serialised with Jackson (maps, lists, strings, numbers, records). */
    public static Reply json(int status, Object body) {
        try {
            return new Reply(status, "application/json", Responses.JSON.writeValueAsBytes(body), Map.of(), null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response is not serialisable", e);
        }
    }

    public static Reply ok(Object body) { return json(200, body); }

    public static Reply bytes(int status, String contentType, byte[] body) {
        return new Reply(status, contentType, body, Map.of(), null);
    }

    public Reply header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(status, contentType, body, h, errorCode);
    }

    public Reply errorCode(String code) { return new Reply(status, contentType, body, headers, code); }
}
