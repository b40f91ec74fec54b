package dev.bastion.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The running server's audit trail: every model request gets a durable accept record before the backend is called
 * (its leaf index in {@code X-Bastion-Audit-Index}) and a complete record after; refusals and admin actions are
 * recorded; nothing holds prompt or completion text; and the log verifies over Bastion's own tlog-tiles API.
 */
class GatewayAuditTest {
    static final String SECRET_PROMPT = "patient Jane Roe, MRN 123456, diagnosis X";

    @Test
    void everyDecisionIsRecordedAndTheLogVerifiesOverHttp() throws Exception {
        try (var upstream = new StandInUpstream(); var gw = TestGateway.start(upstream)) {
            // a medical record number makes the request confidential: the shipped policy wants a purpose for that
            HttpResponse<String> ok = gw.chat(gw.developerKey(), "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"" + SECRET_PROMPT + "\"}]}", "X-Bastion-Purpose", "support");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            long index = Long.parseLong(ok.headers().firstValue("X-Bastion-Audit-Index").orElseThrow());
            String requestId = ok.headers().firstValue("X-Bastion-Request-Id").orElseThrow();
            HttpResponse<String> refused = gw.chat("bst_nope", "{}");
            assertThat(refused.statusCode()).isEqualTo(401);
            HttpResponse<String> key = gw.send("POST", "/bastion/v1/keys", gw.adminKey, "{\"name\":\"audited\"}");
            assertThat(key.statusCode()).isEqualTo(201);

            // the integrator publishes a signed checkpoint covering everything within about a second
            List<JsonNode> entries = new ArrayList<>();
            await().atMost(15, TimeUnit.SECONDS).until(() -> {
                entries.clear();
                entries.addAll(AuditLogEntries.of(gw));
                return entries.stream().anyMatch(e -> e.path("kind").asText().contains("complete"))
                        && entries.stream().anyMatch(e -> e.path("kind").asText().contains("admin")
                        && e.path("outcome").asText().equals("succeeded"));
            });
            JsonNode accept = entries.get((int) index);
            assertThat(accept.path("kind").asText()).isEqualTo("bastion.audit.request/v1");
            assertThat(accept.toString()).contains(requestId).contains("stand-in-7b").contains("standin");
            assertThat(entries).anyMatch(e -> e.path("kind").asText().startsWith("bastion.audit.refused")
                    && e.toString().contains("invalid_api_key"));
            assertThat(entries).anyMatch(e -> e.path("action").asText().equals("key.create"));
            for (JsonNode e : entries) {
                assertThat(e.toString()).doesNotContain("Jane").doesNotContain("123456")
                        .doesNotContain(String.join("", StandInUpstream.PIECES));
            }

            // the standard verifier, over Bastion's HTTP API, with the key Bastion printed at start
            String vkey = gw.auditVerifierKey();
            var verified = LogVerifier.forKey(vkey).verify(LogSource.http(URI.create(gw.base() + "/bastion/v1/audit/"),
                    gw.auditorKey()));
            assertThat(verified).isInstanceOf(VerificationResult.Verified.class);
            // reading the log needs audit.read: without credentials, 401; the admin has no audit.read either
            assertThat(gw.send("GET", "/bastion/v1/audit/checkpoint", gw.adminKey, null).statusCode()).isEqualTo(403);
            assertThat(gw.send("GET", "/bastion/v1/audit/checkpoint", null, null).statusCode()).isEqualTo(401);
            // the developer key was created before the request, so wait for a checkpoint that covers the request
            long size = await().atMost(15, TimeUnit.SECONDS).until(() -> Long.parseLong(gw.send("GET",
                    "/bastion/v1/audit/checkpoint", gw.auditorKey(), null).body().lines().skip(1).findFirst()
                    .orElseThrow()), s -> s > index);
            assertThat(gw.send("GET", "/bastion/v1/audit/proof/inclusion?index=" + index + "&size=" + size,
                    gw.auditorKey(), null).body()).contains("\"proof\"");
            assertThat(gw.send("GET", "/bastion/v1/audit/proof/inclusion?index=" + size + "&size=" + size,
                    gw.auditorKey(), null).statusCode()).isEqualTo(400);
        }
    }
}
