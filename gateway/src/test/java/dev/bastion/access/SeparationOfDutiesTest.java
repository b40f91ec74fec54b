package dev.bastion.access;

import dev.bastion.testing.AuditLogEntries;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.bastion.access.AccessFixture.CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Least privilege and separation of duties under the shipped default policy, seen over HTTP: the admin operates but
 * neither reads audit content nor uses models, the auditor reads the log but changes nothing, the developer uses
 * models but manages nothing, and purpose binding answers with its own codes.
 */
class SeparationOfDutiesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static AccessFixture f;

    @BeforeAll
    static void start() throws Exception { f = new AccessFixture(""); }

    @AfterAll
    static void stop() { f.close(); }

    static JsonNode json(HttpResponse<String> r) throws Exception { return JSON.readTree(r.body()); }

    static void assertDenied(HttpResponse<String> r, String code, String ruleId) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        JsonNode error = json(r).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        if (ruleId == null) assertThat(error.has("rule_ids")).as("default deny names no rule").isFalse();
        else assertThat(error.path("rule_ids").asText()).isEqualTo(ruleId);
        // the rule's id, never its text or condition
        assertThat(r.body()).doesNotContain("description").doesNotContain("principal.").doesNotContain("request.");
    }

    static HttpResponse<String> simulate(String caller, String roles, String action, String purpose) throws Exception {
        String body = "{\"principal\":{\"roles\":" + roles + "},\"action\":\"" + action + "\",\"resource\":\"audit:*\""
                + (purpose == null ? "" : ",\"request\":{\"purpose\":\"" + purpose + "\"}") + "}";
        return f.send("POST", "/bastion/v1/policy/simulate", caller, body);
    }

    @Test
    void theAdminCannotReadAuditContentNotEvenHoldingTheAuditorRoleToo() throws Exception {
        // no route serves audit content yet (entries hold metadata only), so ask the engine that will decide it
        JsonNode admin = json(simulate(f.admin, "[\"admin\"]", "audit.content.read", "incident-investigation"));
        assertThat(admin.path("allowed").asBoolean()).isFalse();
        assertThat(admin.path("reason").asText()).isEqualTo("forbidden");
        assertThat(admin.path("rule_ids").toString()).isEqualTo("[\"sod-admin-no-content\"]");
        JsonNode both = json(simulate(f.auditor, "[\"admin\",\"auditor\"]", "audit.content.read", "incident-investigation"));
        assertThat(both.path("allowed").asBoolean()).as("forbid overrides the auditor's permit").isFalse();
        assertThat(both.path("rule_ids").toString()).isEqualTo("[\"sod-admin-no-content\"]");
        assertThat(both.path("steps").toString()).contains("\"rule\":\"sod-admin-no-content\"")
                .contains("\"outcome\":\"matched\"");

        JsonNode auditor = json(simulate(f.auditor, "[\"auditor\"]", "audit.content.read", "incident-investigation"));
        assertThat(auditor.path("allowed").asBoolean()).isTrue();
        JsonNode noPurpose = json(simulate(f.auditor, "[\"auditor\"]", "audit.content.read", null));
        assertThat(noPurpose.path("reason").asText()).isEqualTo("purpose_required");
        assertThat(noPurpose.path("error_code").asText()).isEqualTo("purpose_required");

        // and the admin cannot even read the log's metadata: that is the auditor's duty
        assertDenied(f.send("GET", "/bastion/v1/audit/checkpoint", f.admin, null), "permission_denied", null);
    }

    @Test
    void theAuditorReadsTheAuditLogButCannotChangeKeysOrPolicy() throws Exception {
        assertThat(f.send("GET", "/bastion/v1/audit/checkpoint", f.auditor, null).statusCode()).isEqualTo(200);
        assertThat(f.send("GET", "/bastion/v1/policy", f.auditor, null).statusCode()).isEqualTo(200);
        assertDenied(f.send("POST", "/bastion/v1/keys", f.auditor, "{\"name\":\"mine\"}"), "permission_denied",
                "sod-auditor-no-change");
        String someKey = f.developer.split("_")[1];
        assertDenied(f.send("DELETE", "/bastion/v1/keys/" + someKey, f.auditor, null), "permission_denied",
                "sod-auditor-no-change");
        assertDenied(f.send("GET", "/bastion/v1/keys", f.auditor, null), "permission_denied", "sod-auditor-no-change");
        assertDenied(f.send("POST", "/bastion/v1/policy/reload", f.auditor, null), "permission_denied",
                "sod-auditor-no-change");
        assertDenied(f.send("POST", "/bastion/v1/operator/rotate", f.auditor, null), "permission_denied",
                "sod-auditor-no-change");
        assertDenied(f.chat(f.auditor, CHAT), "permission_denied", null);
        assertThat(f.chat(f.developer, CHAT).statusCode()).as("the developer's key still works").isEqualTo(200);
    }

    @Test
    void theDeveloperUsesModelsButManagesNothing() throws Exception {
        assertThat(f.chat(f.developer, CHAT).statusCode()).isEqualTo(200);
        assertThat(f.send("POST", "/v1/embeddings", f.developer, "{\"model\":\"chat\",\"input\":\"x\"}").statusCode())
                .isEqualTo(200);
        assertThat(json(f.send("GET", "/v1/models", f.developer, null)).path("data").toString()).contains("\"chat\"");
        assertDenied(f.send("GET", "/bastion/v1/keys", f.developer, null), "permission_denied", null);
        assertDenied(f.send("POST", "/bastion/v1/keys", f.developer, "{\"name\":\"x\"}"), "permission_denied", null);
        assertDenied(f.send("GET", "/bastion/v1/policy", f.developer, null), "permission_denied", null);
        assertDenied(f.send("POST", "/bastion/v1/policy/simulate", f.developer, "{}"), "permission_denied", null);
        assertDenied(f.send("GET", "/bastion/v1/audit/checkpoint", f.developer, null), "permission_denied", null);
        // a bearer JWT with the developer role is the same developer
        String jwt = f.token(f.claims());
        assertThat(f.chat(jwt, CHAT).statusCode()).isEqualTo(200);
        assertDenied(f.send("GET", "/bastion/v1/keys", jwt, null), "permission_denied", null);
    }

    @Test
    void theAdminOperatesButDoesNotUseModels() throws Exception {
        assertThat(f.send("GET", "/bastion/v1/keys", f.admin, null).statusCode()).isEqualTo(200);
        assertThat(f.send("GET", "/bastion/v1/policy", f.admin, null).statusCode()).isEqualTo(200);
        assertDenied(f.chat(f.admin, CHAT), "permission_denied", null);
        assertThat(json(f.send("GET", "/v1/models", f.admin, null)).path("data").size())
                .as("the list shows what the caller may invoke").isZero();
        assertThat(f.send("GET", "/v1/models/chat", f.admin, null).statusCode()).isEqualTo(404);
    }

    @Test
    void confidentialDataNeedsADeclaredPurposeFromTheAllowList() throws Exception {
        HttpResponse<String> none = f.chat(f.developer, CHAT, "X-Bastion-Classification", "confidential");
        assertDenied(none, "purpose_required", "confidential-with-purpose");
        HttpResponse<String> wrong = f.chat(f.developer, CHAT, "X-Bastion-Classification", "confidential",
                "X-Bastion-Purpose", "legal-request");
        assertDenied(wrong, "purpose_not_allowed", "confidential-with-purpose");
        int before = f.upstream.requestCount();
        HttpResponse<String> ok = f.chat(f.developer, CHAT, "X-Bastion-Classification", "confidential",
                "X-Bastion-Purpose", "support");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(f.upstream.requestCount()).isEqualTo(before + 1);
        // restricted data goes to no backend approved only up to confidential, whatever the purpose — nor to an
        // unattested one
        assertDenied(f.chat(f.developer, CHAT, "X-Bastion-Classification", "restricted", "X-Bastion-Purpose", "support"),
                "permission_denied", "classification-above-backend,restricted-needs-attestation");
        // the model list answers the same question
        assertThat(json(f.send("GET", "/v1/models", f.developer, null, "X-Bastion-Classification", "restricted"))
                .path("data").size()).isZero();
    }

    @Test
    void theAuditRecordCarriesTheDecisionForServedAndRefusedRequests() throws Exception {
        HttpResponse<String> ok = f.chat(f.developer, CHAT);
        assertThat(ok.statusCode()).isEqualTo(200);
        long index = Long.parseLong(ok.headers().firstValue("X-Bastion-Audit-Index").orElseThrow());
        HttpResponse<String> refused = f.chat(f.developer, CHAT, "X-Bastion-Classification", "confidential");
        String refusedId = refused.headers().firstValue("X-Bastion-Request-Id").orElseThrow();

        List<JsonNode> entries = new ArrayList<>();
        await().atMost(15, TimeUnit.SECONDS).until(() -> {
            entries.clear();
            entries.addAll(readAll());
            return entries.stream().anyMatch(e -> e.toString().contains(refusedId));
        });
        JsonNode accepted = entries.get((int) index).path("decision");
        assertThat(accepted.path("effect").asText()).isEqualTo("permit");
        assertThat(accepted.path("rules").toString()).contains("developer-models").contains("protect-personal-data");
        assertThat(accepted.path("obligations").toString()).contains("pseudonymise:PERSON").contains("mask:EMAIL_ADDRESS")
                .contains("block:SECRET").contains("prompt_injection:block");
        JsonNode denied = entries.stream().filter(e -> e.toString().contains(refusedId)).findFirst().orElseThrow();
        assertThat(denied.path("kind").asText()).startsWith("bastion.audit.refused");
        assertThat(denied.path("decision").path("effect").asText()).isEqualTo("deny");
        assertThat(denied.path("decision").path("rules").toString()).contains("confidential-with-purpose");
    }

    static List<JsonNode> readAll() throws Exception { return AuditLogEntries.of(f.gw); }

}
