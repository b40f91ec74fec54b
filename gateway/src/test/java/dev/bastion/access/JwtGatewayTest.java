package dev.bastion.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.identity.OidcProvider;
import dev.bastion.identity.Tokens;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bearer tokens from a real OIDC provider process (mock-oauth2-server), configured the way an operator would:
 * discovery, role and attribute mapping, a service-identity rule. Tokens are principals on every route, workloads
 * are services, IdP groups count only through the mapping, and a key rotation at the provider is followed.
 */
class JwtGatewayTest {
    static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static StandInUpstream upstream;
    static OidcProvider idp;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        upstream = new StandInUpstream();
        idp = new OidcProvider();
        gw = TestGateway.start(upstream, """
                identity:
                  issuers:
                    - issuer: "%s"
                      audiences: [bastion]
                      discovery: true
                      jwks-min-refetch: 0s
                      claims:
                        roles:
                          - {claim: roles}
                          - {claim: groups, map: {"/acme/ml-admins": admin}}
                        attributes: {department: department}
                        service: {when: "!has(claims.azp)", roles: [service]}
                """.formatted(idp.issuer()));
    }

    @AfterAll
    static void stop() {
        gw.close();
        idp.close();
        upstream.close();
    }

    static String user(Map<String, Object> claims) { return idp.issue("alice", "bastion", claims); }

    @Test
    void aProviderTokenIsAPrincipalOnEveryRouteAndInTheAuditRecord() throws Exception {
        String token = user(Map.of("roles", List.of("developer"), "department", "finance"));
        HttpResponse<String> ok = gw.chat(token, CHAT);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(TestGateway.json(gw.send("GET", "/v1/models", token, null).body()).path("data").toString())
                .contains("\"chat\"");
        long index = Long.parseLong(ok.headers().firstValue("X-Bastion-Audit-Index").orElseThrow());
        await().atMost(15, TimeUnit.SECONDS).until(() -> AuditLogEntries.of(gw).size() > index);
        JsonNode principal = AuditLogEntries.of(gw).get((int) index).path("principal");
        assertThat(principal.path("id").asText()).isEqualTo("oidc:" + idp.issuer() + "#alice");
        assertThat(principal.path("auth").asText()).isEqualTo("jwt");
        assertThat(principal.path("roles").toString()).isEqualTo("[\"developer\"]");
    }

    @Test
    void aClientCredentialsWorkloadIsAServiceAndAPersonGivenTheServiceRoleIsNot() throws Exception {
        String workload = idp.clientCredentials("batch-job", "bastion");
        assertThat(gw.chat(workload, CHAT).statusCode()).isEqualTo(200);
        HttpResponse<String> person = gw.chat(user(Map.of("roles", List.of("service"))), CHAT);
        assertThat(person.statusCode()).isEqualTo(403);
        assertThat(TestGateway.errorCode(person)).isEqualTo("permission_denied");
    }

    @Test
    void providerGroupsBecomeRolesOnlyThroughTheMapping() throws Exception {
        String mapped = user(Map.of("groups", List.of("/acme/ml-admins")));
        assertThat(gw.send("GET", "/bastion/v1/keys", mapped, null).statusCode()).isEqualTo(200);
        // a group that merely happens to be called "admin" is not Bastion's admin
        HttpResponse<String> lookalike = gw.send("GET", "/bastion/v1/keys", user(Map.of("groups", List.of("admin"))), null);
        assertThat(lookalike.statusCode()).isEqualTo(403);
        assertThat(TestGateway.errorCode(lookalike)).isEqualTo("permission_denied");
    }

    @Test
    void aKeyRotationAtTheProviderIsFollowedAndTheRemovedKeyStopsWorking() throws Exception {
        String before = user(Map.of("roles", List.of("developer")));
        assertThat(gw.chat(before, CHAT).statusCode()).isEqualTo(200);
        var previous = idp.keys.current;
        idp.keys.current = Tokens.rsa("rotated-" + System.nanoTime());
        try {
            // the provider now publishes only the new key: a token under it makes Bastion fetch the key set again
            assertThat(gw.chat(user(Map.of("roles", List.of("developer"))), CHAT).statusCode()).isEqualTo(200);
            HttpResponse<String> old = gw.chat(before, CHAT);
            assertThat(old.statusCode()).as("the old key is gone from the refreshed set").isEqualTo(401);
            assertThat(TestGateway.errorCode(old)).isEqualTo("invalid_token");
        } finally {
            idp.keys.current = previous;
        }
    }
}
