package dev.bastion.identity;

import dev.bastion.pipeline.Problem;

import java.time.Instant;

/** The outcome of verifying one bearer token. */
public sealed interface JwtResult {

    /** A verified token and who it speaks for; valid until {@code expiresAt} (plus the configured clock skew). */
    record Verified(Principal principal, Instant expiresAt, String keyId) implements JwtResult {}

    /** A refused token. */
    record Rejected(JwtFailure failure) implements JwtResult {
        /** The client-facing error: stable code, no token content. */
        public Problem problem() {
            return failure.errorCode().problem(switch (failure) {
                case EXPIRED -> "the bearer token has expired";
                case KEYS_UNAVAILABLE -> "the identity provider's keys are unavailable";
                default -> "the bearer token is not valid";
            });
        }
    }
}
