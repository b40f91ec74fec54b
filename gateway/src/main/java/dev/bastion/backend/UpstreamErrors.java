package dev.bastion.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Problem;

/**
 * Maps a backend's error status to Bastion's stable codes. The backend's own message is not relayed: backends
 * sometimes quote the request back, and error bodies must never carry prompt text. Only a short machine-readable
 * upstream code (letters, digits, {@code _ . -}) is kept as a detail.
 */
final class UpstreamErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UpstreamErrors() {}

    static Problem problemFor(String backend, int status, byte[] body, String retryAfter) {
        Problem p = switch (status) {
            case 400, 409, 413, 415, 422 -> ErrorCode.BACKEND_REJECTED.problem(
                    "backend '" + backend + "' rejected the request (HTTP " + status + ")");
            case 401, 403 -> ErrorCode.BACKEND_ERROR.problem(
                    "backend '" + backend + "' refused Bastion's credentials (HTTP " + status + ")");
            case 404 -> ErrorCode.BACKEND_ERROR.problem(
                    "backend '" + backend + "' does not serve this model or route (HTTP 404)");
            case 408, 504 -> ErrorCode.BACKEND_TIMEOUT.problem(
                    "backend '" + backend + "' timed out (HTTP " + status + ")");
            case 429 -> ErrorCode.OVERLOADED.problem("backend '" + backend + "' is overloaded (HTTP 429)");
            case 503 -> ErrorCode.BACKEND_UNAVAILABLE.problem(
                    "backend '" + backend + "' is unavailable (HTTP 503)");
            default -> ErrorCode.BACKEND_ERROR.problem(
                    "backend '" + backend + "' failed (HTTP " + status + ")");
        };
        JsonNode error = errorObject(body);
        String code = upstreamCode(error);
        if (status == 400 && contextTooLong(error, code)) {
            // clients act on OpenAI's code (shorten the prompt, lower max_tokens), so it gets its own
            p = ErrorCode.CONTEXT_LENGTH_EXCEEDED.problem("the prompt and max_tokens exceed backend '" + backend
                    + "'s context length");
        }
        if (code != null) p = p.withDetail("upstream_code", code);
        if (retryAfter != null && retryAfter.matches("\\d{1,6}")) p = p.withDetail("retry_after", retryAfter);
        return p;
    }

    /** The error object of an OpenAI-style body ({@code {"error":{…}}}), the body itself for flat ones, else null. */
    private static JsonNode errorObject(byte[] body) {
        if (body == null || body.length == 0) return null;
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) return null;
            JsonNode error = root.path("error");
            return error.isObject() ? error : root;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static String upstreamCode(JsonNode error) {
        if (error == null) return null;
        JsonNode code = error.path("code");
        if (code.isNumber()) return code.asText();
        if (!code.isTextual()) code = error.path("type");
        String c = code.asText("");
        return c.matches("[A-Za-z0-9_.\\-]{1,64}") ? c : null;
    }

    /**
     * Whether a 400 says the prompt does not fit: OpenAI's and Bastion's engine's code, llama.cpp server's error
     * type, or vLLM's wording (it sends only the numeric status as code). The message is only matched, never relayed.
     */
    private static boolean contextTooLong(JsonNode error, String code) {
        if (error == null) return false;
        if ("context_length_exceeded".equals(code) || "exceed_context_size_error".equals(code)
                || "exceed_context_size_error".equals(error.path("type").asText(""))) {
            return true;
        }
        String message = error.path("message").asText("");
        return message.toLowerCase(java.util.Locale.ROOT).contains("maximum context length");
    }
}
