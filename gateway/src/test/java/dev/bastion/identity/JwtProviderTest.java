package dev.bastion.identity;

import dev.bastion.testing.ManualClock;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bearer tokens issued by a real OIDC provider process, verified over HTTP, including key rotation. */
class JwtProviderTest {
    static OidcProvider provider;
    static RSAKey initialKey;
    ManualClock clock;

    @BeforeAll
    static void start() throws Exception {
        provider = new OidcProvider();
        initialKey = provider.keys.current;
    }

    @AfterAll
    static void stop() { provider.close(); }

    @BeforeEach
    void reset() {
        provider.keys.current = initialKey;
        provider.managed = List.of();
        provider.managedStatus = 200;
        clock = new ManualClock(Instant.now());
    }

    JwtVerifier verifier(ClaimMapping mapping) throws IOException {
        var jwks = OidcDiscovery.jwksUri(provider.http(), provider.issuer(), Duration.ofSeconds(5));
        return new JwtVerifier(JwtConfig.of(provider.issuer(), "bastion").withClaims(mapping),
                JwksSource.url(provider.http(), jwks, Duration.ofSeconds(5)), clock);
    }

    JwtVerifier managedVerifier() {
        return new JwtVerifier(JwtConfig.of(provider.issuer(), "bastion"),
                JwksSource.url(provider.http(), provider.managedJwksUri(), Duration.ofSeconds(5)), clock);
    }

    static Principal principal(JwtResult r) {
        assertThat(r).isInstanceOf(JwtResult.Verified.class);
        return ((JwtResult.Verified) r).principal();
    }

    @Test
    void discoveryFindsTheProvidersKeysAndChecksTheIssuer() throws Exception {
        assertThat(OidcDiscovery.jwksUri(provider.http(), provider.issuer(), Duration.ofSeconds(5))).isEqualTo(provider.jwksUri());
        // a discovery document must name exactly the issuer asked about
        assertThatThrownBy(() -> OidcDiscovery.jwksUri(provider.http(), provider.issuer() + "/", Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void providerTokenBecomesAPrincipalWithMappedRolesAndAttributes() throws Exception {
        var mapping = ClaimMapping.defaults()
                .withRoles(ClaimMapping.RoleSource.list("realm_access.roles"),
                        ClaimMapping.RoleSource.mapped("groups", Map.of("/bastion/developers", "developer")),
                        new ClaimMapping.RoleSource("scope", ClaimMapping.RoleSource.Format.SPACE_DELIMITED,
                                Map.of("bastion.audit", "auditor"), true))
                .withAttributes(Map.of("department", "org.department", "clearance", "clearance",
                        "regions", "regions", "contractor", "contractor"));
        String token = provider.issue("alice", "bastion", Map.of(
                "realm_access", Map.of("roles", List.of("model-steward")),
                "groups", List.of("/bastion/developers", "/all-staff", "admin"),
                "scope", "openid bastion.audit profile",
                "org", Map.of("department", "finance"),
                "clearance", 3, "regions", List.of("eu-west"), "contractor", false));
        var p = principal(verifier(mapping).verify(token));
        assertThat(p.id()).isEqualTo("oidc:" + provider.issuer() + "#alice");
        assertThat(p.type()).isEqualTo(Principal.Type.USER);
        assertThat(p.method()).isEqualTo(Principal.AuthMethod.JWT);
        // the unmapped IdP group called "admin" does not become Bastion's admin role
        assertThat(p.roles()).containsExactlyInAnyOrder("model-steward", "developer", "auditor");
        assertThat(p.attributes()).containsEntry("department", "finance").containsEntry("clearance", 3L)
                .containsEntry("regions", List.of("eu-west")).containsEntry("contractor", false);
    }

    @Test
    void aRoleOrAttributeClaimOfTheWrongTypeIsRefusedNotCoerced() throws Exception {
        var mapping = ClaimMapping.defaults().withRoles(ClaimMapping.RoleSource.list("groups"))
                .withAttributes(Map.of("department", "org"));
        var v = verifier(mapping);
        assertThat(v.verify(provider.issue("a", "bastion", Map.of("groups", "admin"))))
                .isEqualTo(new JwtResult.Rejected(JwtFailure.CLAIM_TYPE));
        assertThat(v.verify(provider.issue("a", "bastion", Map.of("org", Map.of("x", "y")))))
                .isEqualTo(new JwtResult.Rejected(JwtFailure.CLAIM_TYPE));
        assertThat(v.verify(provider.issue("a", "bastion", Map.of("groups", List.of("developer"), "org", "it"))))
                .isInstanceOf(JwtResult.Verified.class);
    }

    @Test
    void clientCredentialsTokenIsAServiceIdentity() throws Exception {
        // mock-oauth2-server marks user sessions with azp; a client-credentials grant has none (see docs/policy.md
        // for the matching rule on Keycloak, Entra ID, Auth0, Okta)
        var mapping = ClaimMapping.defaults().withService("!has(claims.azp)", Set.of("service"));
        var v = verifier(mapping);
        var service = principal(v.verify(provider.clientCredentials("batch-job", "bastion")));
        assertThat(service.type()).isEqualTo(Principal.Type.SERVICE);
        assertThat(service.id()).endsWith("#batch-job");
        assertThat(service.roles()).containsExactly("service");
        var user = principal(v.verify(provider.issue("alice", "bastion", Map.of())));
        assertThat(user.type()).isEqualTo(Principal.Type.USER);
        assertThat(user.roles()).doesNotContain("service");
        // a service rule that does not compile stops configuration, it never silently means "user"
        assertThatThrownBy(() -> verifier(ClaimMapping.defaults().withService("claims.", Set.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRepeatedTokenIsServedFromTheCacheUntilItExpires() throws Exception {
        var v = verifier(ClaimMapping.defaults());
        String token = provider.issue("alice", "bastion", Map.of());
        var first = v.verify(token);
        long fetches = v.keySetFetches();
        assertThat(v.verify(new String(token.toCharArray()))).isSameAs(first);
        assertThat(v.keySetFetches()).isEqualTo(fetches);
        Instant exp = ((JwtResult.Verified) first).expiresAt();
        clock.set(exp.plusSeconds(59));                                // inside the 60 s skew, but TTL of keys passed
        assertThat(v.verify(token)).isInstanceOf(JwtResult.Verified.class);
        clock.set(exp.plusSeconds(61));
        assertThat(v.verify(token)).isEqualTo(new JwtResult.Rejected(JwtFailure.EXPIRED));
    }

    @Test
    void theTokenCacheStaysBounded() throws Exception {
        var v = new JwtVerifier(JwtConfig.of(provider.issuer(), "bastion").withCacheSize(8),
                JwksSource.url(provider.http(), provider.jwksUri(), Duration.ofSeconds(5)), clock);
        for (int i = 0; i < 40; i++) {
            assertThat(v.verify(provider.issue("user" + i, "bastion", Map.of()))).isInstanceOf(JwtResult.Verified.class);
            assertThat(v.cachedTokens()).isLessThanOrEqualTo(8);
        }
    }

    @Test
    void rotationWithOneKeyPublished_newKidIsFetchedAndTokensOfTheRemovedKeyAreRefused() throws Exception {
        var v = verifier(ClaimMapping.defaults());
        String old = provider.issue("alice", "bastion", Map.of());
        assertThat(v.verify(old)).isInstanceOf(JwtResult.Verified.class);
        long fetches = v.keySetFetches();

        provider.keys.current = Tokens.rsa("k2");                      // the provider rotates: JWKS = {k2}
        clock.advance(Duration.ofSeconds(31));
        String fresh = provider.issue("bob", "bastion", Map.of());
        assertThat(v.verify(fresh)).isInstanceOf(JwtResult.Verified.class);   // unknown kid → one refetch
        assertThat(v.keySetFetches()).isEqualTo(fetches + 1);
        // k1 is no longer published: its token is refused, even though it was cached and has not expired
        assertThat(v.verify(old)).isEqualTo(new JwtResult.Rejected(JwtFailure.UNKNOWN_KEY));
    }

    @Test
    void rotationWithOverlap_oldTokensStayValidWhileTheirKeyIsPublished() throws Exception {
        RSAKey k1 = provider.keys.current;
        RSAKey k2 = Tokens.rsa("k2");
        provider.managed = List.of(k1);
        var v = managedVerifier();
        String old = provider.issue("alice", "bastion", Map.of());
        assertThat(v.verify(old)).isInstanceOf(JwtResult.Verified.class);

        provider.managed = List.of(k1, k2);                            // the provider publishes the next key first
        provider.keys.current = k2;
        clock.advance(Duration.ofSeconds(31));
        String fresh = provider.issue("bob", "bastion", Map.of());
        assertThat(v.verify(fresh)).isInstanceOf(JwtResult.Verified.class);
        assertThat(v.verify(old)).isInstanceOf(JwtResult.Verified.class);

        provider.managed = List.of(k2);                                // ... and retires the old one
        clock.advance(Duration.ofMinutes(5));                          // key-set TTL passes
        assertThat(v.verify(old)).isEqualTo(new JwtResult.Rejected(JwtFailure.UNKNOWN_KEY));
        assertThat(v.verify(fresh)).isInstanceOf(JwtResult.Verified.class);
    }

    @Test
    void unknownKidRefetchesAreRateLimited() throws Exception {
        provider.managed = List.of(provider.keys.current);
        var v = managedVerifier();
        assertThat(v.verify(provider.issue("alice", "bastion", Map.of()))).isInstanceOf(JwtResult.Verified.class);
        int before = provider.managedFetches.get();
        var attacker = Tokens.rsa("x");
        for (int i = 0; i < 20; i++) {
            String t = Tokens.mint(Tokens.header("RS256", "random-" + i), Map.of("sub", "x"), Tokens.rs256(attacker));
            assertThat(v.verify(t)).isEqualTo(new JwtResult.Rejected(JwtFailure.UNKNOWN_KEY));
        }
        assertThat(provider.managedFetches.get() - before).isLessThanOrEqualTo(1);
        clock.advance(Duration.ofSeconds(31));
        v.verify(Tokens.mint(Tokens.header("RS256", "random-x"), Map.of("sub", "x"), Tokens.rs256(attacker)));
        assertThat(provider.managedFetches.get() - before).isLessThanOrEqualTo(2);
    }

    @Test
    void anUnreachableProviderIsBridgedByTheLastKeysThenFailsClosed() throws Exception {
        provider.managed = List.of(provider.keys.current);
        var v = managedVerifier();
        String token = provider.issue("alice", "bastion", Map.of());
        assertThat(v.verify(token)).isInstanceOf(JwtResult.Verified.class);
        provider.managedStatus = 500;
        clock.advance(Duration.ofMinutes(10));                         // TTL passed, within max-stale
        String other = provider.issue("bob", "bastion", Map.of());
        assertThat(v.verify(other)).isInstanceOf(JwtResult.Verified.class);
        clock.advance(Duration.ofHours(2));                            // beyond max-stale
        // keys are checked before claims, so this is "unavailable" (503), not "expired" or "invalid" (401)
        assertThat(v.verify(provider.issue("carol", "bastion", Map.of())))
                .isEqualTo(new JwtResult.Rejected(JwtFailure.KEYS_UNAVAILABLE));
        assertThat(v.verify(token)).isEqualTo(new JwtResult.Rejected(JwtFailure.KEYS_UNAVAILABLE));
    }

    @Test
    void noKeysAtStartIsServiceUnavailableNotUnauthorized() {
        provider.managedStatus = 500;
        var r = managedVerifier().verify(provider.issue("alice", "bastion", Map.of()));
        assertThat(r).isEqualTo(new JwtResult.Rejected(JwtFailure.KEYS_UNAVAILABLE));
        assertThat(((JwtResult.Rejected) r).problem().code().status()).isEqualTo(503);
    }

    @Test
    void tokensOfSeveralIssuersGoToTheirOwnVerifier() throws Exception {
        String workforce = provider.issuer();
        String workload = provider.server.issuerUrl("workload").toString();
        var a = verifier(ClaimMapping.defaults());
        var b = new JwtVerifier(JwtConfig.of(workload, "bastion").withClaims(ClaimMapping.defaults()
                .withService("true", Set.of("service"))),
                JwksSource.url(provider.http(), URI.create(provider.server.jwksUrl("workload").toString()), Duration.ofSeconds(5)), clock);
        var issuers = new JwtIssuers(List.of(a, b));
        var user = principal(issuers.verify(provider.issue("alice", "bastion", Map.of())));
        assertThat(user.id()).isEqualTo("oidc:" + workforce + "#alice");
        String jobToken = provider.server.issueToken("workload", "job-7", "bastion", Map.of(), 600).serialize();
        var job = principal(issuers.verify(jobToken));
        assertThat(job.type()).isEqualTo(Principal.Type.SERVICE);
        assertThat(job.id()).isEqualTo("oidc:" + workload + "#job-7");
        assertThat(issuers.verify(jobToken)).isSameAs(issuers.verify(jobToken));
        String stranger = provider.server.issueToken("stranger", "x", "bastion", Map.of(), 600).serialize();
        assertThat(issuers.verify(stranger)).isEqualTo(new JwtResult.Rejected(JwtFailure.WRONG_ISSUER));
        assertThat(issuers.verify("a.b")).isEqualTo(new JwtResult.Rejected(JwtFailure.MALFORMED));
    }
}
