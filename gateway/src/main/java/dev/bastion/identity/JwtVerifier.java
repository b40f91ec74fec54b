package dev.bastion.identity;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies OIDC/JWT bearer tokens of one issuer and maps them to a {@link Principal}.
 *
 * <p>Order of checks: size and shape → {@code alg} against the allow-list (refusing {@code none}, HMAC and anything
 * unconfigured) → forbidden header parameters (embedded keys, key URLs, {@code crit}) → key selection by {@code kid}
 * (rate-limited refetch for unknown ids; the key must fit the algorithm in type, curve, size, use and its own
 * {@code alg}) → signature → {@code iss}, {@code aud}, {@code exp}, {@code nbf}, {@code iat} with clock skew →
 * claim mapping (wrong types refused). Nothing about the token is trusted before the signature holds.
 *
 * <p>Thread-safe; one instance per issuer.
 */
public final class JwtVerifier {
    static final int MAX_TOKEN_CHARS = 16 * 1024;
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("jwk", "jku", "x5u", "x5c", "crit");
    /** Attestation services name their key set in {@code jku}; it is ignored (keys come only from configuration). */
    private static final Set<String> FORBIDDEN_HEADERS_ATTESTATION = Set.of("jwk", "x5u", "x5c", "crit");

    private final JwtConfig config;
    private final Clock clock;
    private final JwksCache keys;
    private final JwtTokenCache cache;
    private final long skewMillis;
    private final CelRuntime.Program serviceRule;
    private final Set<String> forbiddenHeaders;
    private final boolean audienceOptional;

    public JwtVerifier(JwtConfig config, JwksSource source, Clock clock) {
        this(config, source, clock, FORBIDDEN_HEADERS, false);
    }

    /**
     * A verifier for attestation results signed by a remote verifier (Azure Attestation, Intel Trust Authority, a
     * self-hosted service): read with {@link #verifyClaims}. A {@code jku} header is tolerated and never followed,
     * and a token without {@code aud} is accepted (these services issue none; one that is present must match).
     */
    public static JwtVerifier forAttestationTokens(JwtConfig config, JwksSource source, Clock clock) {
        return new JwtVerifier(config, source, clock, FORBIDDEN_HEADERS_ATTESTATION, true);
    }

    private JwtVerifier(JwtConfig config, JwksSource source, Clock clock, Set<String> forbiddenHeaders,
                        boolean audienceOptional) {
        this.forbiddenHeaders = forbiddenHeaders;
        this.audienceOptional = audienceOptional;
        this.config = config;
        this.clock = clock;
        this.keys = new JwksCache(source, clock, config.jwksTtl(), config.jwksMinRefetch(), config.jwksMaxStale());
        this.cache = new JwtTokenCache(config.cacheSize());
        this.skewMillis = config.clockSkew().toMillis();
        this.serviceRule = config.claims().serviceWhen() == null ? null : compileServiceRule(config.claims().serviceWhen());
    }

    public JwtConfig config() { return config; }

    /** Verifies {@code token} (the part after {@code Bearer }); never throws. */
    public JwtResult verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) return reject(JwtFailure.MALFORMED);
        long now = clock.millis();
        var hit = cached(token, now);
        return hit != null ? hit : verifyFully(token, now);
    }

    /** The cached verification of exactly this token if it still holds, else null (no other work). */
    JwtResult.Verified cached(String token, long now) {
        var hit = cache.get(token);
        if (hit == null) return null;
        var snap = keys.peek();
        if (now < hit.validUntilMillis() && snap != null && snap.generation() == hit.generation()
                && now < snap.expiresAtMillis()) {
            return hit.result();
        }
        cache.remove(token);
        return null;
    }

    long nowMillis() { return clock.millis(); }

    /**
     * Verifies signature, issuer, audience and times and returns the claims, without mapping a principal or
     * caching; never throws.
     */
    public JwtClaims verifyClaims(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return new JwtClaims.Invalid(JwtFailure.MALFORMED);
        }
        Object outcome = check(token, clock.millis());
        if (outcome instanceof JwtFailure f) return new JwtClaims.Invalid(f);
        Checked c = (Checked) outcome;
        return new JwtClaims.Valid(c.claims(), c.exp().toInstant(), c.key().kid());
    }

    private JwtResult verifyFully(String token, long now) {
        Object outcome = check(token, now);
        if (outcome instanceof JwtFailure f) return reject(f);
        Checked c = (Checked) outcome;
        Principal principal;
        try {
            principal = principal(c.iss(), c.claims());
        } catch (ClaimMapping.WrongType e) {
            return reject(JwtFailure.CLAIM_TYPE);
        }
        if (principal == null) return reject(JwtFailure.MISSING_CLAIM);
        var verified = new JwtResult.Verified(principal, c.exp().toInstant(), c.key().kid());
        cache.put(token, new JwtTokenCache.Entry(verified, c.exp().getTime() + skewMillis, c.generation()), now);
        return verified;
    }

    /** A token whose signature and registered claims hold. */
    private record Checked(String iss, Map<String, Object> claims, Date exp, JwksKey key, long generation) {}

    /** @return a {@link Checked}, or the {@link JwtFailure} that refuses the token */
    private Object check(String token, long now) {
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot1 <= 0 || dot2 < 0) return JwtFailure.MALFORMED;
        if (token.indexOf('.', dot2 + 1) >= 0) return JwtFailure.ENCRYPTED;   // five parts: JWE
        Header header;
        try {
            header = Header.parse(new Base64URL(token.substring(0, dot1)));
        } catch (ParseException | RuntimeException e) {
            return JwtFailure.MALFORMED;
        }
        if (header instanceof PlainHeader) return JwtFailure.ALGORITHM_NOT_ALLOWED;
        if (header instanceof JWEHeader) return JwtFailure.ENCRYPTED;
        if (!(header instanceof JWSHeader jws)) return JwtFailure.MALFORMED;
        String alg = jws.getAlgorithm().getName();
        if (!config.algorithms().contains(alg)) return JwtFailure.ALGORITHM_NOT_ALLOWED;
        for (String p : jws.getIncludedParams()) {
            if (forbiddenHeaders.contains(p)) return JwtFailure.FORBIDDEN_HEADER;
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            return JwtFailure.MALFORMED;
        }

        JwksCache.Snapshot snap;
        try {
            snap = keys.current();
        } catch (JwksCache.Unavailable e) {
            return JwtFailure.KEYS_UNAVAILABLE;
        }
        String kid = jws.getKeyID();
        if (kid != null && !snap.byKid().containsKey(kid)) {
            try {
                snap = keys.refreshForUnknownKey();
            } catch (JwksCache.Unavailable e) {
                return JwtFailure.KEYS_UNAVAILABLE;
            }
            if (!snap.byKid().containsKey(kid)) return JwtFailure.UNKNOWN_KEY;
        }
        List<JwksKey> candidates = kid != null ? snap.byKid().get(kid) : snap.all();
        JwksKey key = null;
        int fitting = 0;
        for (JwksKey k : candidates) {
            if (k.fits(alg)) {
                key = k;
                fitting++;
            }
        }
        if (fitting == 0) return kid != null ? JwtFailure.KEY_MISMATCH : JwtFailure.AMBIGUOUS_KEY;
        if (fitting > 1) return JwtFailure.AMBIGUOUS_KEY;
        if (!key.verify(jws, jwt.getSigningInput(), jwt.getSignature())) return JwtFailure.BAD_SIGNATURE;

        // From here on the claims are the issuer's.
        Map<String, Object> claims;
        Date exp;
        Date nbf;
        Date iat;
        List<String> aud;
        String iss;
        try {
            var set = jwt.getJWTClaimsSet();
            claims = jwt.getPayload().toJSONObject();
            iss = set.getIssuer();
            aud = set.getAudience();
            exp = set.getExpirationTime();
            nbf = set.getNotBeforeTime();
            iat = set.getIssueTime();
        } catch (ParseException | RuntimeException e) {
            return JwtFailure.MALFORMED;
        }
        if (claims == null) return JwtFailure.MALFORMED;
        if (!config.issuer().equals(iss)) return JwtFailure.WRONG_ISSUER;
        boolean audienceOk = aud == null || aud.isEmpty() ? audienceOptional
                : aud.stream().anyMatch(config.audiences()::contains);
        if (!audienceOk) return JwtFailure.WRONG_AUDIENCE;
        if (exp == null) return JwtFailure.MISSING_CLAIM;
        if (now > exp.getTime() + skewMillis) return JwtFailure.EXPIRED;
        if (nbf != null && now + skewMillis < nbf.getTime()) return JwtFailure.NOT_YET_VALID;
        if (iat != null && now + skewMillis < iat.getTime()) return JwtFailure.ISSUED_IN_FUTURE;

        return new Checked(iss, claims, exp, key, snap.generation());
    }

    private Principal principal(String iss, Map<String, Object> claims) throws ClaimMapping.WrongType {
        var mapping = config.claims();
        Object sub = ClaimMapping.at(claims, mapping.subjectClaim());
        if (sub == null) return null;
        if (!(sub instanceof String subject) || subject.isEmpty() || subject.length() > 256
                || subject.chars().anyMatch(Character::isISOControl)) {
            throw new ClaimMapping.WrongType();
        }
        var roles = new java.util.LinkedHashSet<>(mapping.roles(claims));
        var attributes = mapping.attributes(claims);
        boolean service = isService(claims);
        if (service) roles.addAll(mapping.serviceRoles());
        return new Principal("oidc:" + iss + "#" + subject, service ? Principal.Type.SERVICE : Principal.Type.USER,
                roles, attributes, Principal.AuthMethod.JWT, Set.of());
    }

    /** The configured service rule; an error or a non-boolean counts as "not a service" (fewer rights, not more). */
    private boolean isService(Map<String, Object> claims) {
        if (serviceRule == null) return false;
        try {
            return serviceRule.eval(Map.of("claims", claims)) instanceof Boolean b && b;
        } catch (Exception e) {
            return false;
        }
    }

    /** Throws {@link IllegalArgumentException} (with the compiler's reason) unless the service rule compiles. */
    public static void checkServiceRule(String expression) { compileServiceRule(expression); }

    private static CelRuntime.Program compileServiceRule(String expression) {
        var compiler = CelCompilerFactory.standardCelCompilerBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("claims", MapType.create(SimpleType.STRING, SimpleType.DYN))
                .setResultType(SimpleType.BOOL)
                .build();
        try {
            return CelRuntimeFactory.standardCelRuntimeBuilder().build().createProgram(compiler.compile(expression).getAst());
        } catch (CelValidationException e) {
            throw new IllegalArgumentException("service rule does not compile: " + e.getMessage(), e);
        } catch (dev.cel.common.CelException e) {
            throw new IllegalArgumentException("service rule cannot run: " + e.getMessage(), e);
        }
    }

    private static final JwtResult.Rejected[] REJECTIONS = java.util.Arrays.stream(JwtFailure.values())
            .map(JwtResult.Rejected::new).toArray(JwtResult.Rejected[]::new);

    private static JwtResult reject(JwtFailure failure) { return REJECTIONS[failure.ordinal()]; }

    /** How many times the key set was fetched (for tests and metrics). */
    long keySetFetches() { return keys.fetchCount(); }

    int cachedTokens() { return cache.size(); }
}
