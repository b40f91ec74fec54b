package dev.bastion.pipeline;

/**
 * Every error code a client can receive. Codes are part of the API contract: never rename one, only add.
 * Sections are per capability so that each area adds its codes in its own block.
 */
public enum ErrorCode {
    // --- request shape (api) ---
    INVALID_JSON(400, "invalid_request_error", "invalid_json"),
    JSON_TOO_DEEP(400, "invalid_request_error", "json_too_deep"),
    INVALID_FIELD(400, "invalid_request_error", "invalid_field"),
    MISSING_FIELD(400, "invalid_request_error", "missing_field"),
    INVALID_HEADER(400, "invalid_request_error", "invalid_header"),
    MAX_TOKENS_TOO_LARGE(400, "invalid_request_error", "max_tokens_too_large"),
    BODY_TOO_LARGE(413, "invalid_request_error", "body_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error", "unsupported_media_type"),
    NOT_FOUND(404, "invalid_request_error", "not_found"),
    METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed"),
    MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found"),
    UNSUPPORTED_OPERATION(400, "invalid_request_error", "unsupported_operation"),
    REQUEST_TIMEOUT(408, "invalid_request_error", "request_timeout"),
    HEADERS_TOO_LARGE(431, "invalid_request_error", "headers_too_large"),
    /**
     * The request target is not in Bastion's one canonical form: absolute-form, a fragment, an empty or dot segment,
     * an encoded slash, backslash or dot, a percent-encoded unreserved character or a {@code ;} parameter. A proxy
     * that filters paths and Bastion must never read one request as two different routes.
     */
    INVALID_REQUEST_TARGET(400, "invalid_request_error", "invalid_request_target"),
    /** The message framing is broken: an unparseable request line or chunk size, a chunked body that ends wrongly. */
    MALFORMED_REQUEST(400, "invalid_request_error", "malformed_request"),
    /** The request line is longer than the server reads. */
    URI_TOO_LONG(414, "invalid_request_error", "uri_too_long"),
    /** A method or transfer coding the server does not implement (RFC 9110 §9.1, RFC 9112 §6.1). */
    NOT_IMPLEMENTED(501, "invalid_request_error", "not_implemented"),
    /** Any HTTP version other than 1.1 on the HTTP/1 listener. */
    HTTP_VERSION_NOT_SUPPORTED(505, "invalid_request_error", "http_version_not_supported"),

    // --- identity ---
    MISSING_CREDENTIALS(401, "authentication_error", "missing_credentials"),
    INVALID_CREDENTIALS(401, "authentication_error", "invalid_api_key"),
    EXPIRED_CREDENTIALS(401, "authentication_error", "expired_credentials"),
    REVOKED_CREDENTIALS(401, "authentication_error", "revoked_credentials"),
    INVALID_TOKEN(401, "authentication_error", "invalid_token"),
    EXPIRED_TOKEN(401, "authentication_error", "expired_token"),
    IDENTITY_PROVIDER_UNAVAILABLE(503, "api_error", "identity_provider_unavailable"),

    // --- authorization (policy) ---
    MODEL_NOT_ALLOWED(403, "permission_error", "model_not_allowed"),
    PERMISSION_DENIED(403, "permission_error", "permission_denied"),
    PURPOSE_REQUIRED(403, "permission_error", "purpose_required"),
    PURPOSE_NOT_ALLOWED(403, "permission_error", "purpose_not_allowed"),
    /** Policy allows the action only on backends in certain regions, and the routed backend is in none of them. */
    REGION_NOT_ALLOWED(403, "permission_error", "region_not_allowed"),
    POLICY_INVALID(422, "invalid_request_error", "policy_invalid"),
    /** A policy edit named the version it changes, and another version was written since: read it and retry. */
    POLICY_CONFLICT(409, "invalid_request_error", "policy_conflict"),
    /** This replica cannot vouch that it runs the latest policy version (its change feed is not fresh). */
    POLICY_UNAVAILABLE(503, "api_error", "policy_unavailable"),

    // --- backends and routing ---
    BACKEND_ERROR(502, "api_error", "backend_error"),
    BACKEND_UNAVAILABLE(503, "api_error", "backend_unavailable"),
    BACKEND_TIMEOUT(504, "api_error", "backend_timeout"),
    BACKEND_REJECTED(400, "invalid_request_error", "backend_rejected"),
    CONTEXT_LENGTH_EXCEEDED(400, "invalid_request_error", "context_length_exceeded"),
    OVERLOADED(429, "rate_limit_error", "overloaded"),
    /** The egress gate refused the connection to the backend (not on the allow-list, or an undeclared address). */
    EGRESS_DENIED(502, "api_error", "egress_denied"),
    /** Backends that may receive this request exist, but none is available (or every one is excluded). */
    NO_COMPLIANT_BACKEND(503, "api_error", "no_compliant_backend"),
    /** A reloaded configuration file is invalid; what was running keeps running. */
    CONFIG_INVALID(422, "invalid_request_error", "config_invalid"),

    // --- quotas ---
    /** A requests-per-minute or tokens-per-minute limit is reached; {@code Retry-After} says when the minute turns. */
    RATE_LIMITED(429, "rate_limit_error", "rate_limit_exceeded"),
    /** A token or cost budget for the day or month is spent; {@code Retry-After} says when the window turns. */
    BUDGET_EXCEEDED(429, "insufficient_quota", "budget_exceeded"),

    // --- audit ---
    /** The audit record could not be durably written: the request is refused and no backend is called. */
    AUDIT_UNAVAILABLE(503, "api_error", "audit_unavailable"),

    // --- inspection ---
    SENSITIVE_DATA_BLOCKED(403, "permission_error", "sensitive_data_blocked"),
    PROMPT_INJECTION_BLOCKED(403, "permission_error", "prompt_injection_blocked"),
    INSPECTION_FAILED(503, "api_error", "inspection_failed"),

    // --- barrier / keys ---
    /** The storage barrier is sealed: an operator must unseal it (or its auto-unseal provider is unavailable). */
    SEALED(503, "api_error", "sealed"),
    /** An operator action that the barrier's current state does not allow (init twice, rotate while sealed). */
    INVALID_STATE(409, "invalid_request_error", "invalid_state"),
    /** Unseal with a wrong passphrase. */
    UNSEAL_FAILED(403, "permission_error", "unseal_failed"),
    /** {@code operator init} without the one-time init token from the data directory, or with a wrong one. */
    INVALID_INIT_TOKEN(403, "permission_error", "invalid_init_token"),
    /** Too many attempts at an unauthenticated operator door (init, unseal); {@code retry_after} says when. */
    TOO_MANY_ATTEMPTS(429, "rate_limit_error", "too_many_attempts"),

    // --- governance (model registry) ---
    /** The routed model has no registry entry in state approved or deployed (local engine and remote backends). */
    MODEL_NOT_APPROVED(403, "permission_error", "model_not_approved"),
    /** Separation of duties: the submitter of an entry may not approve it, and one person counts once. */
    APPROVAL_NOT_ALLOWED(403, "permission_error", "approval_not_allowed"),
    /** Approval needs a complete card, evaluation results with passing gates (or a recorded override), a signature. */
    APPROVAL_PRECONDITION_FAILED(409, "invalid_request_error", "approval_precondition_failed"),
    /** Another change to the same registry entry was committed first: read it again and retry. */
    REGISTRY_CONFLICT(409, "invalid_request_error", "registry_conflict"),
    /** A signature bundle does not verify against the configured keys or roots, or does not cover the artifact. */
    SIGNATURE_INVALID(422, "invalid_request_error", "signature_invalid"),
    /** An artifact to register is missing, unreadable, not GGUF, or not what its digest says. */
    ARTIFACT_INVALID(422, "invalid_request_error", "artifact_invalid"),
    /** This replica cannot vouch that its routing cache has seen every registry change (fresh or refuse). */
    REGISTRY_UNAVAILABLE(503, "api_error", "registry_unavailable"),

    // --- private retrieval (rag) ---
    /** No document collection of that name (for callers that may administer collections). */
    COLLECTION_NOT_FOUND(404, "invalid_request_error", "collection_not_found"),
    /** A collection of that name exists already. */
    COLLECTION_EXISTS(409, "invalid_request_error", "collection_exists"),
    /** A collection's access rule does not compile against the policy in force (names the error, not data). */
    ACCESS_RULE_INVALID(422, "invalid_request_error", "access_rule_invalid"),
    /** No document with that id in the collection. */
    DOCUMENT_NOT_FOUND(404, "invalid_request_error", "document_not_found"),
    /** An upload is not a readable txt, md, html or pdf file, or holds no text. */
    DOCUMENT_UNREADABLE(422, "invalid_request_error", "document_unreadable"),
    /** The collection refuses personal data and the detectors found some (the answer names types and counts). */
    DOCUMENT_REFUSED(422, "invalid_request_error", "document_refused"),
    /** The retrieval index is not open on this replica (rebuilding, or failed to open): nothing is retrieved. */
    RETRIEVAL_UNAVAILABLE(503, "api_error", "retrieval_unavailable"),
    // --- console ---
    /** A console session cookie is unknown, ended, expired or idle too long: sign in again. */
    SESSION_EXPIRED(401, "authentication_error", "session_expired"),
    /** A console session was used without its CSRF token, or from another site. */
    CSRF_REJECTED(403, "permission_error", "csrf_rejected"),
    /** Console sign-in failed at the identity provider or its state did not match this browser's. */
    SIGN_IN_FAILED(400, "invalid_request_error", "sign_in_failed"),

    // --- privacy ---
    /** A named data subject has no lawful basis on record for the declared purpose (names the purpose only). */
    CONSENT_MISSING(403, "permission_error", "consent_missing"),
    /** This replica cannot be sure its consent view is current (the change feed is not fresh): fail closed. */
    CONSENT_UNAVAILABLE(503, "api_error", "consent_unavailable"),

    // --- server ---
    SHUTTING_DOWN(503, "api_error", "shutting_down"),
    /** The database stayed locked by other writers past the wait, or no connection came in time: retry later. */
    STORE_BUSY(503, "api_error", "store_busy"),
    INTERNAL(500, "api_error", "internal_error");

    private final int status;
    private final String type;
    private final String code;

    ErrorCode(int status, String type, String code) {
        this.status = status;
        this.type = type;
        this.code = code;
    }

    public int status() { return status; }
    public String type() { return type; }
    public String code() { return code; }

    /** A problem with this code and a message that must never contain prompt text or detected values. */
    public Problem problem(String message) {
        return new Problem(this, message, null);
    }

    public Problem problem(String message, String param) {
        return new Problem(this, message, param);
    }
}
