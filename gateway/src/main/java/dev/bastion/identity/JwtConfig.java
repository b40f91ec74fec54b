package dev.bastion.identity;

import java.time.Duration;
import java.util.Set;

/**
 * How bearer tokens of one issuer are verified.
 *
 * @param issuer             exact {@code iss} value (no trailing-slash or case leniency)
 * @param audiences          {@code aud} must contain at least one of these
 * @param algorithms         accepted {@code alg} values: a subset of RS256, ES256, EdDSA
 * @param clockSkew          tolerance for {@code exp}, {@code nbf}, {@code iat} (at most 5 minutes)
 * @param jwksTtl            how long a fetched key set is used before it is fetched again
 * @param jwksMinRefetch     at most one fetch per this interval for tokens with an unknown {@code kid}
 * @param jwksMaxStale       how long past its TTL a key set keeps serving while the provider cannot be reached
 * @param cacheSize          verified tokens remembered (bounded; entries never outlive the token)
 * @param claims             claims → principal mapping
 */
public record JwtConfig(String issuer, Set<String> audiences, Set<String> algorithms, Duration clockSkew,
                        Duration jwksTtl, Duration jwksMinRefetch, Duration jwksMaxStale, int cacheSize,
                        ClaimMapping claims) {

    /** The only algorithms Bastion accepts for bearer tokens: no HMAC (shared secrets), no {@code none}. */
    public static final Set<String> SUPPORTED = Set.of("RS256", "ES256", "EdDSA");
    /**
     * Every asymmetric algorithm the key machinery verifies. Bearer tokens stay at {@link #SUPPORTED}
     * ({@link #withAlgorithms} and the configuration loader enforce it); attestation verifiers' tokens may also
     * use these (Intel Trust Authority signs with PS384).
     */
    public static final Set<String> ASYMMETRIC = Set.of("RS256", "PS256", "PS384", "ES256", "EdDSA");

    public JwtConfig {
        if (issuer == null || issuer.isBlank()) throw new IllegalArgumentException("issuer is required");
        audiences = Set.copyOf(audiences);
        if (audiences.isEmpty()) throw new IllegalArgumentException("at least one audience is required");
        algorithms = Set.copyOf(algorithms);
        if (algorithms.isEmpty() || !ASYMMETRIC.containsAll(algorithms)) {
            throw new IllegalArgumentException("algorithms must be a non-empty subset of " + ASYMMETRIC);
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("clock skew must be 0..5 minutes");
        }
        if (!jwksTtl.isPositive() || jwksMinRefetch.isNegative() || jwksMaxStale.isNegative()) {
            throw new IllegalArgumentException("bad key set timings");
        }
        if (cacheSize < 0) throw new IllegalArgumentException("cache size < 0");
        if (claims == null) throw new IllegalArgumentException("claims mapping is required");
    }

    /** Defaults: all supported algorithms, 60 s skew, key set for 5 min, refetch at most every 30 s, 1 h stale. */
    public static JwtConfig of(String issuer, String audience) {
        return new JwtConfig(issuer, Set.of(audience), SUPPORTED, Duration.ofSeconds(60), Duration.ofMinutes(5),
                Duration.ofSeconds(30), Duration.ofHours(1), 10_000, ClaimMapping.defaults());
    }

    public JwtConfig withClaims(ClaimMapping mapping) {
        return new JwtConfig(issuer, audiences, algorithms, clockSkew, jwksTtl, jwksMinRefetch, jwksMaxStale,
                cacheSize, mapping);
    }

    public JwtConfig withClockSkew(Duration skew) {
        return new JwtConfig(issuer, audiences, algorithms, skew, jwksTtl, jwksMinRefetch, jwksMaxStale, cacheSize,
                claims);
    }

    /** Bearer-token algorithms: a subset of {@link #SUPPORTED}. */
    public JwtConfig withAlgorithms(Set<String> algs) {
        if (!SUPPORTED.containsAll(algs)) {
            throw new IllegalArgumentException("algorithms must be a non-empty subset of " + SUPPORTED);
        }
        return new JwtConfig(issuer, audiences, algs, clockSkew, jwksTtl, jwksMinRefetch, jwksMaxStale, cacheSize,
                claims);
    }

    public JwtConfig withJwksTimings(Duration ttl, Duration minRefetch, Duration maxStale) {
        return new JwtConfig(issuer, audiences, algorithms, clockSkew, ttl, minRefetch, maxStale, cacheSize, claims);
    }

    public JwtConfig withCacheSize(int size) {
        return new JwtConfig(issuer, audiences, algorithms, clockSkew, jwksTtl, jwksMinRefetch, jwksMaxStale, size,
                claims);
    }
}
