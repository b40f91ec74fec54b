package dev.bastion.access;

import com.nimbusds.jose.jwk.OctetSequenceKey;
import dev.bastion.identity.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.bastion.access.AccessFixture.CHAT;
import static dev.bastion.access.AccessFixture.chatFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization-bypass suite, over HTTP against a running Bastion with the shipped default policy and a real
 * OIDC provider: forged and confused tokens, dead credentials, look-alike model names, path tricks on admin routes,
 * smuggled context headers, ambiguous credentials and method tricks. Every attempt is refused with its status and
 * stable code, and none of them reaches the model backend.
 */
class AuthorizationBypassTest {
    static AccessFixture f;

    @BeforeAll
    static void start() throws Exception { f = new AccessFixture(""); }

    @AfterAll
    static void stop() { f.close(); }

    /** One hostile request and the refusal it must get. */
    @FunctionalInterface
    interface Attempt {
        Raw.Answer send() throws Exception;
    }

    static Raw.Answer http(java.net.http.HttpResponse<String> r) { return new Raw.Answer(r.statusCode(), r.body()); }

    static Arguments attempt(String name, int status, String code, Attempt a) {
        return Arguments.of(name, status, code, a);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void everyBypassAttemptIsRefused(String name, int status, String code, Attempt attempt) throws Exception {
        int before = f.upstream.requestCount();
        Raw.Answer a = attempt.send();
        assertThat(a.status()).as(name + ": " + a.body()).isEqualTo(status);
        assertThat(a.code()).as(name + ": " + a.body()).isEqualTo(code);
        assertThat(f.upstream.requestCount()).as(name + ": nothing reached the model").isEqualTo(before);
    }

    @Test
    void theSuiteHasAtLeastFiftyAttemptsAndTheHonestRequestsSucceed() throws Exception {
        assertThat(attempts().count()).isGreaterThanOrEqualTo(50);
        // the same requests without the trick are served: the refusals above are the trick's doing
        assertThat(f.chat(f.developer, CHAT).statusCode()).isEqualTo(200);
        assertThat(f.chat(f.token(f.claims()), CHAT).statusCode()).isEqualTo(200);
        assertThat(f.chat(f.scoped, chatFor("same")).statusCode()).isEqualTo(200);
        assertThat(f.chat(f.developer, CHAT, "X-Bastion-Classification", "confidential", "X-Bastion-Purpose", "support")
                .statusCode()).isEqualTo(200);
        assertThat(f.send("GET", "/bastion/v1/keys", f.admin, null).statusCode()).isEqualTo(200);
    }

    static Stream<Arguments> attempts() throws Exception {
        List<Arguments> cases = new ArrayList<>();
        tokens(cases);
        credentials(cases);
        modelNames(cases);
        adminPaths(cases);
        contextHeaders(cases);
        methodsAndRoles(cases);
        return cases.stream();
    }

    /** Bearer JWTs: forged, unsigned, confused, expired, misdirected, mistyped. */
    private static void tokens(List<Arguments> cases) throws Exception {
        String valid = f.token(f.claims());
        String[] p = valid.split("\\.");
        Map<String, Object> escalated = f.claimsWith("roles", List.of("admin"));
        long now = f.clock.instant().getEpochSecond();
        byte[] pub = f.idpKey.toRSAPublicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(pub)
                + "\n-----END PUBLIC KEY-----\n";

        cases.add(attempt("JWT expired", 401, "expired_token",
                () -> http(f.chat(f.token(f.claimsWith("exp", now - 600)), CHAT))));
        cases.add(attempt("JWT not valid yet (nbf in the future)", 401, "invalid_token",
                () -> http(f.chat(f.token(f.claimsWith("nbf", now + 3600)), CHAT))));
        cases.add(attempt("JWT with a forged signature", 401, "invalid_token",
                () -> http(f.chat(p[0] + "." + p[1] + "." + flip(p[2]), CHAT))));
        cases.add(attempt("JWT payload swapped for admin roles after signing", 401, "invalid_token",
                () -> http(f.send("GET", "/bastion/v1/keys", p[0] + "." + Tokens.b64(Tokens.json(escalated)) + "." + p[2], null))));
        cases.add(attempt("JWT signature stripped", 401, "invalid_token",
                () -> http(f.chat(p[0] + "." + p[1] + ".", CHAT))));
        cases.add(attempt("JWT unsigned, alg none", 401, "invalid_token",
                () -> http(f.chat(Tokens.mint(Map.of("alg", "none", "typ", "JWT"), escalated, null), CHAT))));
        cases.add(attempt("JWT unsigned, alg None", 401, "invalid_token",
                () -> http(f.chat(Tokens.mint(Map.of("alg", "None", "typ", "JWT"), escalated, null), CHAT))));
        cases.add(attempt("JWT HS256 keyed with the provider's public key (DER)", 401, "invalid_token",
                () -> http(f.send("GET", "/bastion/v1/keys", Tokens.mint(Tokens.header("HS256", "k1"), escalated,
                        Tokens.hs256(pub)), null))));
        cases.add(attempt("JWT HS256 keyed with the provider's public key (PEM)", 401, "invalid_token",
                () -> http(f.send("GET", "/bastion/v1/keys", Tokens.mint(Tokens.header("HS256", "k1"), escalated,
                        Tokens.hs256(pem.getBytes(StandardCharsets.US_ASCII))), null))));
        cases.add(attempt("JWT kid confusion: RS256 under the EC key's kid", 401, "invalid_token",
                () -> http(f.chat(Tokens.mint(Tokens.header("RS256", "ec1"), f.claims(), Tokens.rs256(f.idpKey)), CHAT))));
        cases.add(attempt("JWT kid confusion: ES256 under the RSA key's kid", 401, "invalid_token",
                () -> http(f.chat(Tokens.mint(Tokens.header("ES256", "k1"), f.claims(), Tokens.es256(f.ecKey)), CHAT))));
        cases.add(attempt("JWT signed by an attacker key under an unknown kid", 401, "invalid_token",
                () -> http(f.chat(Tokens.mint(Tokens.header("RS256", "attacker"), escalated,
                        Tokens.rs256(Tokens.rsa("attacker"))), CHAT))));
        cases.add(attempt("JWT carrying its own key (jwk header)", 401, "invalid_token", () -> {
            var attacker = Tokens.rsa("k1");
            var h = Tokens.header("RS256", "k1");
            h.put("jwk", attacker.toPublicJWK().toJSONObject());
            return http(f.chat(Tokens.mint(h, escalated, Tokens.rs256(attacker)), CHAT));
        }));
        cases.add(attempt("JWT pointing at an attacker key set (jku header)", 401, "invalid_token", () -> {
            var h = Tokens.header("RS256", "k1");
            h.put("jku", "https://attacker.example/jwks");
            return http(f.chat(Tokens.mint(h, escalated, Tokens.rs256(Tokens.rsa("k1"))), CHAT));
        }));
        cases.add(attempt("JWT for another audience", 401, "invalid_token",
                () -> http(f.chat(f.token(f.claimsWith("aud", "other-service")), CHAT))));
        cases.add(attempt("JWT issued by the real provider for another audience", 401, "invalid_token",
                () -> http(f.chat(f.idp.issue("alice", "other-service", Map.of("roles", List.of("developer"))), CHAT))));
        cases.add(attempt("JWT from an issuer not trusted", 401, "invalid_token",
                () -> http(f.chat(f.token(f.claimsWith("iss", "https://evil.example/default")), CHAT))));
        cases.add(attempt("JWT issuer with a trailing slash", 401, "invalid_token",
                () -> http(f.chat(f.token(f.claimsWith("iss", f.idp.issuer() + "/")), CHAT))));
        cases.add(attempt("JWT roles claim a string, not a list", 401, "invalid_token",
                () -> http(f.send("GET", "/bastion/v1/keys", f.token(f.claimsWith("roles", "admin")), null))));
        cases.add(attempt("JWT roles claim an object", 401, "invalid_token",
                () -> http(f.send("GET", "/bastion/v1/keys", f.token(f.claimsWith("roles", Map.of("admin", true))), null))));
        cases.add(attempt("JWT roles list holding a non-string", 401, "invalid_token",
                () -> http(f.chat(f.token(f.claimsWith("roles", List.of("developer", 7))), CHAT))));
        cases.add(attempt("JWT without a subject", 401, "invalid_token",
                () -> http(f.chat(f.token(f.claimsWith("sub", null)), CHAT))));
        cases.add(attempt("JWE (encrypted, five parts)", 401, "invalid_token",
                () -> http(f.chat(Tokens.b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A128GCM\"}") + ".a.b.c.d", CHAT))));
        cases.add(attempt("JWT whose issuer's keys cannot be fetched (fail closed)", 503, "identity_provider_unavailable",
                () -> http(f.chat(Tokens.mint(Tokens.header("RS256", "k1"), f.claimsWith("iss", AccessFixture.DEAD_ISSUER),
                        Tokens.rs256(f.idpKey)), CHAT))));
        cases.add(attempt("valid developer JWT on an admin route", 403, "permission_denied",
                () -> http(f.send("POST", "/bastion/v1/keys", f.token(f.claims()), "{\"name\":\"x\",\"roles\":[\"admin\"]}"))));
        cases.add(attempt("JWT with an HMAC key published in the JWKS is still not HMAC-verifiable", 401, "invalid_token", () -> {
            var hmac = new OctetSequenceKey.Builder(pub).keyID("hmac").build();
            f.idp.managed = List.of(f.idpKey, f.ecKey, hmac);
            try {
                return http(f.chat(Tokens.mint(Tokens.header("HS256", "hmac"), escalated, Tokens.hs256(pub)), CHAT));
            } finally {
                f.idp.managed = List.of(f.idpKey, f.ecKey);
            }
        }));
    }

    /** API keys that are dead, malformed or ambiguous. */
    private static void credentials(List<Arguments> cases) {
        cases.add(attempt("revoked API key", 401, "revoked_credentials", () -> http(f.chat(f.revoked, CHAT))));
        cases.add(attempt("expired API key", 401, "expired_credentials", () -> http(f.chat(f.expired, CHAT))));
        cases.add(attempt("API key with its secret altered", 401, "invalid_api_key",
                () -> http(f.chat(f.developer.substring(0, f.developer.length() - 1)
                        + (f.developer.endsWith("A") ? "B" : "A"), CHAT))));
        cases.add(attempt("no credentials at all", 401, "missing_credentials", () -> http(f.chat(null, CHAT))));
        cases.add(attempt("two Authorization headers", 400, "invalid_header", () -> Raw.send(f.gw.base(), "GET",
                "/bastion/v1/keys", null, "Authorization: Bearer " + f.developer, "Authorization: Bearer " + f.admin)));
        cases.add(attempt("two credentials in one Authorization header", 401, "invalid_api_key", () -> Raw.send(
                f.gw.base(), "GET", "/bastion/v1/keys", null, "Authorization: Bearer " + f.developer + ", Bearer " + f.admin)));
        cases.add(attempt("Basic scheme with the admin key as password", 401, "invalid_api_key", () -> Raw.send(
                f.gw.base(), "GET", "/bastion/v1/keys", null, "Authorization: Basic " + java.util.Base64.getEncoder()
                        .encodeToString(("admin:" + f.admin).getBytes(StandardCharsets.UTF_8)))));
        cases.add(attempt("admin key in a query parameter, developer key in the header", 403, "permission_denied",
                () -> http(f.send("GET", "/bastion/v1/keys?api_key=" + f.admin, f.developer, null))));
    }

    /** Look-alike spellings of model names never reach a model (lookup is exact; scope is checked first). */
    private static void modelNames(List<Arguments> cases) {
        String nfd = Normalizer.normalize("chaté", Normalizer.Form.NFD);
        for (String[] c : new String[][] {
                {"upper case", "CHAT"}, {"zero-width space", "chat\u200B"}, {"Cyrillic homoglyph", "\u0441hat"},
                {"trailing space", "chat "}, {"fullwidth letters", "\uFF43\uFF48\uFF41\uFF54"},
                {"NFD-decomposed accent", nfd}}) {
            cases.add(attempt("model name trick (" + c[0] + ") by an unscoped key", 404, "model_not_found",
                    () -> http(f.chat(f.developer, chatFor(c[1])))));
        }
        for (String[] c : new String[][] {
                {"the model outside its scope", "chat"}, {"upper-case spelling of its own model", "SAME"},
                {"zero-width joiner after its own model", "same\u200D"}, {"NFC/NFD look-alike", Normalizer.normalize("samé", Normalizer.Form.NFC)}}) {
            cases.add(attempt("scoped key asks for " + c[0], 403, "model_not_allowed",
                    () -> http(f.chat(f.scoped, chatFor(c[1])))));
        }
        cases.add(attempt("scoped key reads another model's card", 404, "model_not_found",
                () -> http(f.send("GET", "/v1/models/chat", f.scoped, null))));
        cases.add(attempt("scoped key embeds with another model", 403, "model_not_allowed",
                () -> http(f.send("POST", "/v1/embeddings", f.scoped, "{\"model\":\"chat\",\"input\":\"x\"}"))));
    }

    /**
     * Unusual spellings of admin paths: none reaches an admin action for a caller without the permission. Since
     * issue 13 every non-canonical spelling is refused before routing (400 invalid_request_target).
     */
    private static void adminPaths(List<Arguments> cases) {
        String dev = "Authorization: Bearer " + f.developer;
        String keyId = f.developer.split("_")[1];
        for (String[] c : new String[][] {
                {"double slash", "/bastion/v1//keys", "400", "invalid_request_target"},
                {"trailing slash", "/bastion/v1/keys/", "404", "not_found"},
                {"mixed case", "/Bastion/v1/Keys", "404", "not_found"},
                {"dot segment back into keys", "/bastion/v1/audit/../keys", "400", "invalid_request_target"},
                {"encoded dot segments", "/bastion/v1/audit/%2e%2e/keys", "400", "invalid_request_target"},
                {"encoded slash after keys", "/bastion/v1/keys/..%2f", "400", "invalid_request_target"},
                {"double-encoded dot segments", "/bastion/v1/audit/%252e%252e/keys", "403", "permission_denied"},
                {"path parameter", "/bastion/v1/keys;role=admin", "400", "invalid_request_target"},
                {"path parameter on a key id", "/bastion/v1/keys/" + keyId + ";x", "400", "invalid_request_target"},
                {"model API prefix walking up", "/v1/../bastion/v1/keys", "400", "invalid_request_target"},
                {"policy reload spelled with a trailing dot segment", "/bastion/v1/policy/reload/.", "400", "invalid_request_target"}}) {
            String method = c[1].contains("reload") ? "POST" : "GET";
            cases.add(attempt("admin path trick (" + c[0] + ") by a developer", Integer.parseInt(c[2]), c[3],
                    () -> Raw.send(f.gw.base(), method, c[1], method.equals("POST") ? "" : null, dev)));
        }
        cases.add(attempt("admin path trick without credentials", 400, "invalid_request_target",
                () -> Raw.send(f.gw.base(), "GET", "/bastion/v1/audit/../keys", null)));
    }

    /** Purpose and classification smuggled past the strict single-header reading. */
    private static void contextHeaders(List<Arguments> cases) {
        String dev = "Authorization: Bearer " + f.developer;
        cases.add(attempt("purpose header sent twice", 400, "invalid_header", () -> Raw.send(f.gw.base(), "POST",
                "/v1/chat/completions", CHAT, dev, "X-Bastion-Classification: confidential",
                "X-Bastion-Purpose: marketing", "X-Bastion-Purpose: support")));
        cases.add(attempt("classification header sent twice (public then confidential)", 400, "invalid_header",
                () -> Raw.send(f.gw.base(), "POST", "/v1/chat/completions", CHAT, dev,
                        "X-Bastion-Classification: public", "X-Bastion-Classification: confidential")));
        cases.add(attempt("two purposes in one header", 400, "invalid_header", () -> Raw.send(f.gw.base(), "POST",
                "/v1/chat/completions", CHAT, dev, "X-Bastion-Classification: confidential",
                "X-Bastion-Purpose: marketing,support")));
        cases.add(attempt("purpose with a Cyrillic homoglyph", 400, "invalid_header", () -> Raw.send(f.gw.base(), "POST",
                "/v1/chat/completions", CHAT, dev, "X-Bastion-Classification: confidential", "X-Bastion-Purpose: \u0455upport")));
        cases.add(attempt("oversized purpose", 400, "invalid_header", () -> http(f.chat(f.developer, CHAT,
                "X-Bastion-Classification", "confidential", "X-Bastion-Purpose", "support" + "-x".repeat(100)))));
        cases.add(attempt("folded (obs-fold) classification header", 400, "invalid_header",
                () -> Raw.send(f.gw.base(), "POST", "/v1/chat/completions", CHAT, dev,
                        "X-Bastion-Classification: restricted\r\n public")));
        cases.add(attempt("purpose in another case than the allow-list", 403, "purpose_not_allowed",
                () -> http(f.chat(f.developer, CHAT, "X-Bastion-Classification", "confidential", "X-Bastion-Purpose", "Support"))));
        cases.add(attempt("purpose in the body instead of the header", 403, "purpose_required",
                () -> http(f.chat(f.developer, CHAT.replace("}]}", "}],\"metadata\":{\"purpose\":\"support\"}}"),
                        "X-Bastion-Classification", "confidential"))));
        cases.add(attempt("purpose in an underscore look-alike header", 403, "purpose_required",
                () -> Raw.send(f.gw.base(), "POST", "/v1/chat/completions", CHAT, dev,
                        "X-Bastion-Classification: confidential", "X_Bastion_Purpose: support")));
        cases.add(attempt("classification in another case (unknown label ranks highest)", 403, "permission_denied",
                () -> http(f.chat(f.developer, CHAT, "X-Bastion-Classification", "Public"))));
        cases.add(attempt("restricted data even with a purpose", 403, "permission_denied",
                () -> http(f.chat(f.developer, CHAT, "X-Bastion-Classification", "restricted", "X-Bastion-Purpose", "support"))));
        cases.add(attempt("a purpose that the deciding rule does not list", 403, "purpose_not_allowed",
                () -> http(f.chat(f.developer, CHAT, "X-Bastion-Classification", "confidential",
                        "X-Bastion-Purpose", "incident-investigation"))));
    }

    /** Method tricks and roles reaching past their duties. */
    private static void methodsAndRoles(List<Arguments> cases) {
        String dev = "Authorization: Bearer " + f.developer;
        String keyId = f.admin.split("_")[1];
        cases.add(attempt("method override header to revoke the admin key", 403, "permission_denied",
                () -> Raw.send(f.gw.base(), "GET", "/bastion/v1/keys/" + keyId, null, dev, "X-HTTP-Method-Override: DELETE")));
        cases.add(attempt("method override from POST to DELETE by the admin", 405, "method_not_allowed",
                () -> Raw.send(f.gw.base(), "POST", "/bastion/v1/keys/" + keyId, "{}", "Authorization: Bearer " + f.admin,
                        "X-HTTP-Method-Override: DELETE")));
        cases.add(attempt("PUT on the key collection", 405, "method_not_allowed",
                () -> Raw.send(f.gw.base(), "PUT", "/bastion/v1/keys", "{\"name\":\"x\"}", dev)));
        cases.add(attempt("GET on policy reload", 405, "method_not_allowed",
                () -> Raw.send(f.gw.base(), "GET", "/bastion/v1/policy/reload", null, dev)));
        cases.add(attempt("developer revokes the admin key", 403, "permission_denied",
                () -> http(f.send("DELETE", "/bastion/v1/keys/" + keyId, f.developer, null))));
        cases.add(attempt("developer creates an admin key", 403, "permission_denied",
                () -> http(f.send("POST", "/bastion/v1/keys", f.developer, "{\"name\":\"x\",\"roles\":[\"admin\"]}"))));
        cases.add(attempt("developer reloads the policy", 403, "permission_denied",
                () -> http(f.send("POST", "/bastion/v1/policy/reload", f.developer, null))));
        cases.add(attempt("developer reads the audit log", 403, "permission_denied",
                () -> http(f.send("GET", "/bastion/v1/audit/checkpoint", f.developer, null))));
        cases.add(attempt("developer seals the barrier", 403, "permission_denied",
                () -> http(f.send("POST", "/bastion/v1/operator/seal", f.developer, null))));
        cases.add(attempt("scoped key lists keys", 403, "permission_denied",
                () -> http(f.send("GET", "/bastion/v1/keys", f.scoped, null))));
        cases.add(attempt("auditor creates a key", 403, "permission_denied",
                () -> http(f.send("POST", "/bastion/v1/keys", f.auditor, "{\"name\":\"x\"}"))));
        cases.add(attempt("auditor reloads the policy", 403, "permission_denied",
                () -> http(f.send("POST", "/bastion/v1/policy/reload", f.auditor, null))));
        cases.add(attempt("auditor invokes a model", 403, "permission_denied", () -> http(f.chat(f.auditor, CHAT))));
        cases.add(attempt("admin invokes a model", 403, "permission_denied", () -> http(f.chat(f.admin, CHAT))));
        cases.add(attempt("admin reads the audit log", 403, "permission_denied",
                () -> http(f.send("GET", "/bastion/v1/audit/checkpoint", f.admin, null))));
        cases.add(attempt("model steward creates a key", 403, "permission_denied",
                () -> http(f.send("POST", "/bastion/v1/keys", f.steward, "{\"name\":\"x\"}"))));
    }

    static String flip(String b64) {
        char c = b64.charAt(10);
        return b64.substring(0, 10) + (c == 'A' ? 'B' : 'A') + b64.substring(11);
    }
}
