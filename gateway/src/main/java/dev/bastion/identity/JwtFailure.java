package dev.bastion.identity;

import dev.bastion.pipeline.ErrorCode;

/**
 * Why a bearer token was refused. The client sees only the {@link #errorCode()} (RFC 6750 style: one
 * {@code invalid_token} for nearly everything); the finer {@link #code()} goes to audit records and metrics.
 */
public enum JwtFailure {
    /** Not three base64url parts of JSON, too large, or claims of the wrong JSON type. */
    MALFORMED("malformed"),
    /** {@code alg} is none, HMAC, or anything not configured (RS256/ES256/EdDSA at most). */
    ALGORITHM_NOT_ALLOWED("algorithm_not_allowed"),
    /** JWE (encrypted) tokens are not accepted. */
    ENCRYPTED("encrypted_token"),
    /** The header carries its own key or a key URL ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) or {@code crit}. */
    FORBIDDEN_HEADER("forbidden_header"),
    /** No published key has this {@code kid} (after a rate-limited refetch). */
    UNKNOWN_KEY("unknown_key"),
    /** No {@code kid} and not exactly one suitable key, or several suitable keys share the {@code kid}. */
    AMBIGUOUS_KEY("ambiguous_key"),
    /** The key named by {@code kid} does not fit {@code alg} (type, curve, size, use or its own alg). */
    KEY_MISMATCH("key_mismatch"),
    BAD_SIGNATURE("bad_signature"),
    WRONG_ISSUER("wrong_issuer"),
    WRONG_AUDIENCE("wrong_audience"),
    EXPIRED("expired"),
    NOT_YET_VALID("not_yet_valid"),
    ISSUED_IN_FUTURE("issued_in_future"),
    /** {@code exp} or {@code sub} (or the configured subject claim) is missing. */
    MISSING_CLAIM("missing_claim"),
    /** A mapped role or attribute claim has the wrong JSON type (never coerced). */
    CLAIM_TYPE("claim_type"),
    /** No key set could be fetched and none is cached: a server-side problem, not the caller's. */
    KEYS_UNAVAILABLE("keys_unavailable");

    private final String code;

    JwtFailure(String code) { this.code = code; }

    /** Stable fine-grained code for audit and metrics. */
    public String code() { return code; }

    /** What the client is told. */
    public ErrorCode errorCode() {
        return switch (this) {
            case EXPIRED -> ErrorCode.EXPIRED_TOKEN;
            case KEYS_UNAVAILABLE -> ErrorCode.IDENTITY_PROVIDER_UNAVAILABLE;
            default -> ErrorCode.INVALID_TOKEN;
        };
    }
}
