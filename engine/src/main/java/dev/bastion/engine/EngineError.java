package dev.bastion.engine;

/**
 * Errors the worker answers with, in OpenAI's error shape. Codes match the gateway's {@code ErrorCode} where one
 * exists, so the gateway can pass them through; messages are written here and never echo request content.
 */
public enum EngineError {
    INVALID_JSON(400, "invalid_request_error", "invalid_json"),
    INVALID_FIELD(400, "invalid_request_error", "invalid_field"),
    MISSING_FIELD(400, "invalid_request_error", "missing_field"),
    MAX_TOKENS_TOO_LARGE(400, "invalid_request_error", "max_tokens_too_large"),
    CONTEXT_LENGTH_EXCEEDED(400, "invalid_request_error", "context_length_exceeded"),
    BAD_REQUEST(400, "invalid_request_error", "bad_request"),
    NOT_FOUND(404, "invalid_request_error", "not_found"),
    MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found"),
    METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed"),
    REQUEST_TIMEOUT(408, "invalid_request_error", "request_timeout"),
    LENGTH_REQUIRED(411, "invalid_request_error", "length_required"),
    BODY_TOO_LARGE(413, "invalid_request_error", "body_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error", "unsupported_media_type"),
    HEADERS_TOO_LARGE(431, "invalid_request_error", "headers_too_large"),
    OVERLOADED(429, "rate_limit_error", "overloaded"),
    NOT_IMPLEMENTED(501, "invalid_request_error", "not_implemented"),
    SHUTTING_DOWN(503, "api_error", "shutting_down"),
    INTERNAL(500, "api_error", "internal_error");

    private final int status;
    private final String type;
    private final String code;

    EngineError(int status, String type, String code) {
        this.status = status;
        this.type = type;
        this.code = code;
    }

    public int status() { return status; }

    public String type() { return type; }

    public String code() { return code; }

    HttpProblem problem(String message) {
        return new HttpProblem(this, message, null);
    }

    HttpProblem problem(String message, String param) {
        return new HttpProblem(this, message, param);
    }
}
