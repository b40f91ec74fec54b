package dev.bastion.identity;

import java.time.Instant;
import java.util.Map;

/** The outcome of verifying a signed token for its claims alone (no principal): what attestation tokens need. */
public sealed interface JwtClaims {

    /** Signature, issuer, audience and times hold; {@code claims} is the token's JSON payload. */
    record Valid(Map<String, Object> claims, Instant expiresAt, String keyId) implements JwtClaims {
        public Valid {
            claims = java.util.Collections.unmodifiableMap(claims);
        }
    }

    record Invalid(JwtFailure failure) implements JwtClaims {}
}
