package dev.bastion.pipeline;

import java.util.Map;

/**
 * What went wrong, in terms a client may see. {@code message} is written by Bastion, never copied from the request
 * or a model answer; {@code details} carries safe extras such as the deciding rule id or entity type names.
 */
public record Problem(ErrorCode code, String message, String param, Map<String, String> details) {

    public Problem {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public Problem(ErrorCode code, String message, String param) {
        this(code, message, param, Map.of());
    }

    public Problem withDetail(String key, String value) {
        var copy = new java.util.LinkedHashMap<>(details);
        copy.put(key, value);
        return new Problem(code, message, param, copy);
    }

    public int status() { return code.status(); }
}
