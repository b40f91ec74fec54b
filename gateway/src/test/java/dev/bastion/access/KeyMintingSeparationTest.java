package dev.bastion.access;

import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hole 7 of issue 13: separation of duties reaches key minting. Which roles a principal may grant is policy
 * ({@code keys.grant} on {@code role:<name>}); roles must exist in the policy; under the shipped policy the admin,
 * who may not read the audit log, cannot mint a key that can.
 */
class KeyMintingSeparationTest {
    static StandInUpstream upstream;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        upstream = new StandInUpstream();
        gw = TestGateway.start(upstream);
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    private static HttpResponse<String> mint(String body) throws Exception {
        return gw.send("POST", "/bastion/v1/keys", gw.adminKey, body);
    }

    @Test
    void theAdminCannotMintAKeyThatReadsTheAuditLog() throws Exception {
        for (String roles : new String[] {"[\"auditor\"]", "[\"admin\",\"auditor\"]", "[\"auditor\",\"developer\"]"}) {
            HttpResponse<String> r = mint("{\"name\":\"sneaky\",\"roles\":" + roles + "}");
            assertThat(r.statusCode()).as(roles + " " + r.body()).isEqualTo(403);
            assertThat(TestGateway.errorCode(r)).isEqualTo("permission_denied");
            assertThat(r.body()).contains("sod-admin-no-oversight-keys").doesNotContain("bst_");
        }
        assertThat(gw.send("GET", "/bastion/v1/audit/checkpoint", gw.adminKey, null).statusCode()).isEqualTo(403);
    }

    @Test
    void theAdminCannotMintAModelStewardWhoWouldApproveWhatTheAdminDeploys() throws Exception {
        HttpResponse<String> r = mint("{\"name\":\"steward\",\"roles\":[\"model-steward\"]}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(TestGateway.errorCode(r)).isEqualTo("permission_denied");
    }

    @Test
    void rolesThePolicyDoesNotDefineAreRefusedNotStored() throws Exception {
        for (String role : new String[] {"root", "superuser", "admins", "auditor2"}) {
            HttpResponse<String> r = mint("{\"name\":\"x\",\"roles\":[\"" + role + "\"]}");
            assertThat(r.statusCode()).as(role).isEqualTo(400);
            assertThat(TestGateway.errorCode(r)).isEqualTo("invalid_field");
            assertThat(TestGateway.json(r.body()).path("error").path("param").asText()).isEqualTo("roles");
        }
        assertThat(gw.send("GET", "/bastion/v1/keys", gw.adminKey, null).body()).doesNotContain("\"root\"");
    }

    @Test
    void theAdminStillMintsTheRolesThePolicyLetsItGrant() throws Exception {
        for (String roles : new String[] {"[\"developer\"]", "[\"service\"]", "[\"admin\"]", "[\"developer\",\"service\"]"}) {
            assertThat(mint("{\"name\":\"ok\",\"roles\":" + roles + "}").statusCode()).as(roles).isEqualTo(201);
        }
    }

    @Test
    void theOperatorOnTheHostMintsAuditorsAndTheyReadTheLog() throws Exception {
        String auditor = gw.operatorKey("auditor-from-cli", "auditor");
        assertThat(gw.send("GET", "/bastion/v1/audit/checkpoint", auditor, null).statusCode()).isEqualTo(200);
    }

    @Test
    void theOperatorCannotMintARoleThePolicyDoesNotDefineEither() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gw.operatorKey("x", "root"))
                .hasMessageContaining("not defined in the policy");
    }
}
