package dev.bastion.identity;

import dev.bastion.testing.ManualClock;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import dev.bastion.pipeline.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.bastion.identity.Tokens.header;
import static dev.bastion.identity.Tokens.mint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Token-level bypass attempts against a verifier that trusts a real OIDC provider process (mock-oauth2-server over
 * HTTP). Every hostile token is refused with its specific reason; none ever yields a principal.
 */
class JwtHostileTokenTest {
    static OidcProvider provider;
    static RSAKey idpKey;
    static ECKey ec;
    static Tokens.Ed25519 ed;
    static RSAKey attacker;
    static ManualClock clock;
    static JwtVerifier verifier;
    static long now;

    @BeforeAll
    static void start() throws Exception {
        provider = new OidcProvider();
        idpKey = provider.keys.current;
        ec = Tokens.ec("ec1", Curve.P_256);
        ed = Tokens.ed25519("ed1");
        attacker = Tokens.rsa("k1");                                              // same kid as the provider's key
        var encOnly = new RSAKey.Builder(attacker.toRSAPublicKey()).keyID("enc1").keyUse(KeyUse.ENCRYPTION).build();
        var rs512 = new RSAKey.Builder(attacker.toRSAPublicKey()).keyID("rs512").algorithm(JWSAlgorithm.RS512).build();
        var hmac = new OctetSequenceKey.Builder(idpKey.toRSAPublicKey().getEncoded()).keyID("hmac").build();
        provider.managed = List.of(idpKey, ec, ed.publicJwk(), encOnly, rs512, Tokens.rsa("weak", 1024),
                Tokens.ec("p384", Curve.P_384), Tokens.rsaAs(attacker, "dup"), Tokens.rsaAs(idpKey, "dup"), hmac);
        clock = new ManualClock(Instant.now());
        now = clock.instant().getEpochSecond();
        var config = JwtConfig.of(provider.issuer(), "bastion").withClaims(ClaimMapping.defaults()
                .withRoles(ClaimMapping.RoleSource.list("roles"), ClaimMapping.RoleSource.list("realm_access.roles")));
        verifier = new JwtVerifier(config, JwksSource.url(provider.http(), provider.managedJwksUri(), Duration.ofSeconds(5)), clock);
    }

    @AfterAll
    static void stop() { provider.close(); }

    static Map<String, Object> claims() {
        return Tokens.developerClaims(provider.issuer(), now);
    }

    static Map<String, Object> with(String k, Object v) {
        var c = claims();
        if (v == null) c.remove(k);
        else c.put(k, v);
        return c;
    }

    static String rs(Map<String, Object> claims) { return mint(header("RS256", "k1"), claims, Tokens.rs256(idpKey)); }

    static Stream<Arguments> hostile() throws Exception {
        var cases = new ArrayList<Arguments>();
        String valid = rs(claims());
        String[] p = valid.split("\\.");
        byte[] pub = idpKey.toRSAPublicKey().getEncoded();
        byte[] pem = ("-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(pub)
                + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII);
        Map<String, Object> escalated = with("roles", List.of("admin"));

        add(cases, "expired beyond the clock skew", rs(with("exp", now - 120)), JwtFailure.EXPIRED);
        add(cases, "not valid before a future nbf", rs(with("nbf", now + 600)), JwtFailure.NOT_YET_VALID);
        add(cases, "issued in the future", rs(with("iat", now + 600)), JwtFailure.ISSUED_IN_FUTURE);
        add(cases, "no exp", rs(with("exp", null)), JwtFailure.MISSING_CLAIM);
        add(cases, "exp of the wrong type", rs(with("exp", "tomorrow")), JwtFailure.MALFORMED);
        add(cases, "no sub", rs(with("sub", null)), JwtFailure.MISSING_CLAIM);
        add(cases, "sub of the wrong type", rs(with("sub", 42)), JwtFailure.CLAIM_TYPE);
        add(cases, "wrong audience", rs(with("aud", "other-service")), JwtFailure.WRONG_AUDIENCE);
        add(cases, "no audience", rs(with("aud", null)), JwtFailure.WRONG_AUDIENCE);
        add(cases, "audience list without ours", rs(with("aud", List.of("a", "b"))), JwtFailure.WRONG_AUDIENCE);
        add(cases, "wrong issuer", rs(with("iss", "https://evil.example/default")), JwtFailure.WRONG_ISSUER);
        add(cases, "issuer with a trailing slash", rs(with("iss", provider.issuer() + "/")), JwtFailure.WRONG_ISSUER);
        add(cases, "issuer in another case", rs(with("iss", provider.issuer().toUpperCase())), JwtFailure.WRONG_ISSUER);
        add(cases, "no issuer", rs(with("iss", null)), JwtFailure.WRONG_ISSUER);
        add(cases, "provider token for another audience", provider.issue("alice", "other", Map.of()), JwtFailure.WRONG_AUDIENCE);
        add(cases, "forged signature (bits flipped)", p[0] + "." + p[1] + "." + flip(p[2]), JwtFailure.BAD_SIGNATURE);
        add(cases, "payload swapped after signing (role escalation)",
                p[0] + "." + Tokens.b64(Tokens.json(escalated)) + "." + p[2], JwtFailure.BAD_SIGNATURE);
        add(cases, "signed by an attacker key under the provider's kid",
                mint(header("RS256", "k1"), escalated, Tokens.rs256(attacker)), JwtFailure.BAD_SIGNATURE);
        add(cases, "signature stripped", p[0] + "." + p[1] + ".", JwtFailure.MALFORMED);
        add(cases, "unsigned, alg none", mint(Map.of("alg", "none", "typ", "JWT"), claims(), null), JwtFailure.ALGORITHM_NOT_ALLOWED);
        add(cases, "unsigned, alg None", mint(Map.of("alg", "None"), claims(), null), JwtFailure.ALGORITHM_NOT_ALLOWED);
        add(cases, "unsigned, alg NONE with kid", mint(header("NONE", "k1"), claims(), null), JwtFailure.ALGORITHM_NOT_ALLOWED);
        add(cases, "HS256 keyed with the provider's public key (DER)",
                mint(header("HS256", "k1"), escalated, Tokens.hs256(pub)), JwtFailure.ALGORITHM_NOT_ALLOWED);
        add(cases, "HS256 keyed with the provider's public key (PEM)",
                mint(header("HS256", "k1"), escalated, Tokens.hs256(pem)), JwtFailure.ALGORITHM_NOT_ALLOWED);
        add(cases, "HS256 naming a symmetric key published in the JWKS",
                mint(header("HS256", "hmac"), escalated, Tokens.hs256(pub)), JwtFailure.ALGORITHM_NOT_ALLOWED);
        add(cases, "RS512 (not on the allow-list)", mint(header("RS512", "rs512"), claims(), Tokens.jdk("SHA512withRSA", idpKey.toPrivateKey())), JwtFailure.ALGORITHM_NOT_ALLOWED);
        add(cases, "PS256 (not on the allow-list)", mint(header("PS256", "k1"), claims(), Tokens.rs256(idpKey)), JwtFailure.ALGORITHM_NOT_ALLOWED);
        add(cases, "kid confusion: RS256 naming the EC key", mint(header("RS256", "ec1"), claims(), Tokens.rs256(idpKey)), JwtFailure.KEY_MISMATCH);
        add(cases, "kid confusion: ES256 naming the RSA key", mint(header("ES256", "k1"), claims(), Tokens.es256(ec)), JwtFailure.KEY_MISMATCH);
        add(cases, "kid confusion: EdDSA naming the EC key", mint(header("EdDSA", "ec1"), claims(), ed.signer()), JwtFailure.KEY_MISMATCH);
        add(cases, "key published for encryption only", mint(header("RS256", "enc1"), claims(), Tokens.rs256(idpKey)), JwtFailure.KEY_MISMATCH);
        add(cases, "key whose own alg is RS512", mint(header("RS256", "rs512"), claims(), Tokens.rs256(idpKey)), JwtFailure.KEY_MISMATCH);
        add(cases, "1024-bit RSA key is never usable", mint(header("RS256", "weak"), claims(), Tokens.rs256(idpKey)), JwtFailure.UNKNOWN_KEY);
        add(cases, "P-384 key for ES256 is never usable", mint(header("ES256", "p384"), claims(), Tokens.es256(ec)), JwtFailure.UNKNOWN_KEY);
        add(cases, "two keys share the kid", mint(header("RS256", "dup"), claims(), Tokens.rs256(idpKey)), JwtFailure.AMBIGUOUS_KEY);
        add(cases, "unknown kid", mint(header("RS256", "nope"), claims(), Tokens.rs256(idpKey)), JwtFailure.UNKNOWN_KEY);
        add(cases, "kid path traversal", mint(header("RS256", "../../../../etc/passwd"), claims(), Tokens.rs256(idpKey)), JwtFailure.UNKNOWN_KEY);
        add(cases, "kid SQL injection", mint(header("RS256", "x' OR '1'='1"), claims(), Tokens.rs256(idpKey)), JwtFailure.UNKNOWN_KEY);
        add(cases, "no kid while several keys fit", mint(header("RS256", null), claims(), Tokens.rs256(idpKey)), JwtFailure.AMBIGUOUS_KEY);
        var embedded = header("RS256", "k1");
        embedded.put("jwk", attacker.toPublicJWK().toJSONObject());
        add(cases, "embedded attacker jwk header", mint(embedded, escalated, Tokens.rs256(attacker)), JwtFailure.FORBIDDEN_HEADER);
        var jku = header("RS256", "k1");
        jku.put("jku", "https://evil.example/jwks");
        add(cases, "jku header", mint(jku, escalated, Tokens.rs256(attacker)), JwtFailure.FORBIDDEN_HEADER);
        var x5u = header("RS256", "k1");
        x5u.put("x5u", "https://evil.example/cert.pem");
        add(cases, "x5u header", mint(x5u, claims(), Tokens.rs256(idpKey)), JwtFailure.FORBIDDEN_HEADER);
        var crit = header("RS256", "k1");
        crit.put("crit", List.of("exp"));
        crit.put("exp", now + 600);
        add(cases, "crit header", mint(crit, claims(), Tokens.rs256(idpKey)), JwtFailure.FORBIDDEN_HEADER);
        var b64 = header("RS256", "k1");
        b64.put("b64", false);
        b64.put("crit", List.of("b64"));
        add(cases, "unencoded payload (b64=false)", mint(b64, claims(), Tokens.rs256(idpKey)), JwtFailure.FORBIDDEN_HEADER);
        add(cases, "roles claim as a string", rs(with("roles", "admin")), JwtFailure.CLAIM_TYPE);
        add(cases, "roles claim with a number", rs(with("roles", List.of("developer", 7))), JwtFailure.CLAIM_TYPE);
        add(cases, "roles claim as an object", rs(with("roles", Map.of("admin", true))), JwtFailure.CLAIM_TYPE);
        add(cases, "nested role claim as a string", rs(with("realm_access", Map.of("roles", "admin"))), JwtFailure.CLAIM_TYPE);
        add(cases, "role with a control character", rs(with("roles", List.of("admin\u0000"))), JwtFailure.CLAIM_TYPE);
        add(cases, "encrypted (JWE) token", "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d", JwtFailure.ENCRYPTED);
        add(cases, "header is not JSON", Tokens.b64("not json") + "." + p[1] + "." + p[2], JwtFailure.MALFORMED);
        add(cases, "payload is not JSON", mint(Tokens.json(header("RS256", "k1")), "[1,2", Tokens.rs256(idpKey)), JwtFailure.MALFORMED);
        add(cases, "two parts", p[0] + "." + p[1], JwtFailure.MALFORMED);
        add(cases, "empty", "", JwtFailure.MALFORMED);
        add(cases, "just dots", "..", JwtFailure.MALFORMED);
        add(cases, "oversized", "a".repeat(20_000) + ".b.c", JwtFailure.MALFORMED);
        add(cases, "ES256 signature in DER form", mint(header("ES256", "ec1"), claims(), Tokens.jdk("SHA256withECDSA", ec.toPrivateKey())), JwtFailure.BAD_SIGNATURE);
        add(cases, "EdDSA signed by another Ed25519 key", mint(header("EdDSA", "ed1"), claims(), Tokens.ed25519("ed1").signer()), JwtFailure.BAD_SIGNATURE);
        return cases.stream();
    }

    private static void add(List<Arguments> cases, String name, String token, JwtFailure expected) {
        cases.add(Arguments.of(name, token, expected));
    }

    private static String flip(String b64sig) {
        byte[] sig = new Base64URL(b64sig).decode();
        sig[sig.length / 2] ^= 0x01;
        return Base64URL.encode(sig).toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileTokenIsRefused(String name, String token, JwtFailure expected) {
        var result = verifier.verify(token);
        assertThat(result).isInstanceOfSatisfying(JwtResult.Rejected.class, r -> {
            assertThat(r.failure()).as(name).isEqualTo(expected);
            assertThat(r.problem().code().status()).isIn(401, 503);
            assertThat(r.problem().message()).doesNotContain(token.length() > 20 ? token.substring(0, 20) : "\u0000");
        });
        // and again: a refusal is never cached into an acceptance
        assertThat(verifier.verify(token)).isInstanceOf(JwtResult.Rejected.class);
    }

    @Test
    void wellFormedTokensOfEachAllowedAlgorithmAreAccepted() {
        for (String token : List.of(rs(claims()), mint(header("ES256", "ec1"), claims(), Tokens.es256(ec)),
                mint(header("EdDSA", "ed1"), claims(), ed.signer()), provider.issue("alice", "bastion", Map.of()))) {
            assertThat(verifier.verify(token)).isInstanceOf(JwtResult.Verified.class);
        }
    }

    @Test
    void expiryWithinTheSkewIsTolerated() {
        assertThat(verifier.verify(rs(with("exp", now - 30)))).isInstanceOf(JwtResult.Verified.class);
        assertThat(verifier.verify(rs(with("nbf", now + 30)))).isInstanceOf(JwtResult.Verified.class);
    }

    @Test
    void expiredTokensGetTheirOwnCodeOthersInvalidToken() {
        assertThat(JwtFailure.EXPIRED.errorCode()).isEqualTo(ErrorCode.EXPIRED_TOKEN);
        assertThat(JwtFailure.BAD_SIGNATURE.errorCode()).isEqualTo(ErrorCode.INVALID_TOKEN);
        assertThat(JwtFailure.KEYS_UNAVAILABLE.errorCode().status()).isEqualTo(503);
    }

    @Test
    void configurationRefusesSymmetricAndUnsafeAlgorithms() {
        var base = JwtConfig.of("https://idp", "bastion");
        for (String alg : List.of("HS256", "none", "RS512", "PS256")) {
            assertThatThrownBy(() -> base.withAlgorithms(Set.of(alg))).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> JwksSource.url(provider.http(), java.net.URI.create("http://idp.example/jwks"), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAlgorithmLeftOutOfTheConfigurationIsRefused() {
        var rsOnly = new JwtVerifier(verifier.config().withAlgorithms(Set.of("RS256")),
                JwksSource.url(provider.http(), provider.managedJwksUri(), Duration.ofSeconds(5)), clock);
        assertThat(rsOnly.verify(mint(header("ES256", "ec1"), claims(), Tokens.es256(ec))))
                .isEqualTo(new JwtResult.Rejected(JwtFailure.ALGORITHM_NOT_ALLOWED));
        assertThat(rsOnly.verify(rs(claims()))).isInstanceOf(JwtResult.Verified.class);
    }

}
