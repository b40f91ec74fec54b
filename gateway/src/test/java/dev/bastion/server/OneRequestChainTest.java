package dev.bastion.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.api.AdminRoutes;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Model and admin routes run one request chain. Walked over every route registered — so routes added later are
 * covered too: a sealed server answers nothing but health, the barrier's status, init and unseal; every refusal on
 * Bastion's own API is in the audit log under the request id the caller saw; an audited action is recorded before it
 * runs, and its outcome after, under that same id.
 */
class OneRequestChainTest {
    private static final String PASSPHRASE = "correct horse battery staple";
    private static final List<String> MODEL_ROUTES = List.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aSealedServerAnswersOnlyHealthAndTheBarriersStatusInitAndUnseal() throws Exception {
        Path data = Files.createTempDirectory("bastion-one-chain");
        try (var upstream = new StandInUpstream();
             TestGateway gw = TestGateway.startYaml(SealedServerTest.yaml(upstream, data.resolve("d")))) {
            String token = Files.readString(data.resolve("d").resolve("init-token")).strip();
            HttpResponse<String> init = gw.send("POST", "/bastion/v1/operator/init", null,
                    "{\"passphrase\":\"" + PASSPHRASE + "\",\"init_token\":\"" + token + "\"}");
            assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
            String admin = TestGateway.json(init.body()).path("admin_key").asText();
            // a key that worked a moment ago (and sits in the key cache) must not outlive the seal
            assertThat(gw.send("GET", "/bastion/v1/keys", admin, null).statusCode()).isEqualTo(200);
            assertThat(gw.send("POST", "/bastion/v1/operator/seal", admin, null).statusCode()).isEqualTo(200);

            List<AdminRoutes.Registered> routes = gw.server.adminRoutes();
            assertThat(routes).hasSizeGreaterThanOrEqualTo(16);
            Map<String, Integer> answered = new LinkedHashMap<>();
            for (AdminRoutes.Registered r : routes) {
                if (r.withoutCredentials()) continue;
                HttpResponse<String> res = gw.send(r.method(), concrete(r.path()), admin, "{}");
                answered.put(r.method() + " " + r.path(), res.statusCode());
                assertThat(TestGateway.errorCode(res)).as(r.method() + " " + r.path()).isEqualTo("sealed");
            }
            for (String path : MODEL_ROUTES) {
                assertThat(TestGateway.errorCode(gw.send("POST", path, admin, "{}"))).as(path).isEqualTo("sealed");
            }
            assertThat(answered).as("every admin route answered").allSatisfy((route, status) -> assertThat(status).isEqualTo(503));
            assertThat(routes).filteredOn(AdminRoutes.Registered::withoutCredentials)
                    .extracting(AdminRoutes.Registered::path)
                    .containsExactlyInAnyOrder("/bastion/v1/operator/status", "/bastion/v1/operator/init",
                            "/bastion/v1/operator/unseal");
            assertThat(gw.send("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
            assertThat(gw.send("GET", "/bastion/v1/operator/status", null, null).body()).contains("\"sealed\"");
            assertThat(gw.send("POST", "/bastion/v1/operator/unseal", null,
                    "{\"passphrase\":\"" + PASSPHRASE + "\"}").statusCode()).isEqualTo(200);
            assertThat(gw.send("GET", "/bastion/v1/keys", admin, null).statusCode()).isEqualTo(200);
            assertThat(upstream.bodies()).isEmpty();
        }
    }

    @Test
    void everyRefusalOnBastionsOwnApiIsAuditedUnderTheRequestIdTheCallerSaw() throws Exception {
        try (var upstream = new StandInUpstream(); var gw = TestGateway.start(upstream)) {
            String developer = gw.developerKey();
            // a developer declaring restricted data may do nothing on Bastion's own API under the shipped policy
            Map<String, String> refusedIds = new LinkedHashMap<>();
            for (AdminRoutes.Registered r : gw.server.adminRoutes()) {
                if (r.withoutCredentials()) continue;
                HttpResponse<String> res = send(gw, r.method(), concrete(r.path()), developer, "restricted");
                assertThat(res.statusCode()).as(r.method() + " " + r.path() + ": " + res.body()).isEqualTo(403);
                refusedIds.put(res.headers().firstValue("X-Bastion-Request-Id").orElseThrow(), r.method() + " " + r.path());
            }
            List<String> unauthenticated = new ArrayList<>();
            for (String path : List.of("/bastion/v1/keys", "/bastion/v1/policy", "/bastion/v1/audit/checkpoint")) {
                HttpResponse<String> res = gw.send("GET", path, null, null);
                assertThat(res.statusCode()).isEqualTo(401);
                unauthenticated.add(res.headers().firstValue("X-Bastion-Request-Id").orElseThrow());
            }

            List<JsonNode> entries = new ArrayList<>();
            await().atMost(15, TimeUnit.SECONDS).until(() -> {
                entries.clear();
                entries.addAll(AuditLogEntries.of(gw));
                return refusedIds.keySet().stream().allMatch(id -> refusal(entries, id) != null)
                        && unauthenticated.stream().allMatch(id -> refusal(entries, id) != null);
            });
            refusedIds.forEach((id, route) -> {
                JsonNode e = refusal(entries, id);
                assertThat(e.path("status").asInt()).as(route).isEqualTo(403);
                assertThat(e.path("principal").path("roles").toString()).as(route).contains("developer");
                assertThat(e.path("action").asText()).as(route).isNotEmpty();
            });
            for (String id : unauthenticated) {
                assertThat(refusal(entries, id).path("error_code").asText()).isEqualTo("missing_credentials");
            }
        }
    }

    @Test
    void anAuditedActionIsRecordedBeforeItRunsAndItsOutcomeAfterUnderOneRequestId() throws Exception {
        try (var upstream = new StandInUpstream(); var gw = TestGateway.start(upstream)) {
            HttpResponse<String> created = gw.send("POST", "/bastion/v1/keys", gw.adminKey, "{\"name\":\"ops\"}");
            assertThat(created.statusCode()).isEqualTo(201);
            String keyId = TestGateway.json(created.body()).path("id").asText();
            HttpResponse<String> misspelt = gw.send("POST", "/bastion/v1/keys", gw.adminKey, "{\"nmae\":\"x\"}");
            assertThat(misspelt.statusCode()).isEqualTo(400);
            HttpResponse<String> badId = gw.send("DELETE", "/bastion/v1/keys/NOT-AN-ID", gw.adminKey, null);
            assertThat(badId.statusCode()).isEqualTo(404);

            String createdId = created.headers().firstValue("X-Bastion-Request-Id").orElseThrow();
            long requestedAt = Long.parseLong(created.headers().firstValue("X-Bastion-Audit-Index").orElseThrow());
            String misspeltId = misspelt.headers().firstValue("X-Bastion-Request-Id").orElseThrow();
            List<JsonNode> entries = new ArrayList<>();
            await().atMost(15, TimeUnit.SECONDS).until(() -> {
                entries.clear();
                entries.addAll(AuditLogEntries.of(gw));
                return admin(entries, createdId).size() == 2 && admin(entries, misspeltId).size() == 2
                        && refusal(entries, badId.headers().firstValue("X-Bastion-Request-Id").orElseThrow()) != null;
            });
            JsonNode requested = entries.get((int) requestedAt);
            assertThat(requested.path("outcome").asText()).isEqualTo("requested");
            assertThat(requested.path("request_id").asText()).isEqualTo(createdId);
            assertThat(admin(entries, createdId)).extracting(e -> e.path("outcome").asText())
                    .containsExactly("requested", "succeeded");
            assertThat(admin(entries, createdId).getLast().path("target").asText()).isEqualTo("key:" + keyId);
            assertThat(admin(entries, misspeltId)).extracting(e -> e.path("outcome").asText())
                    .containsExactly("requested", "rejected");
        }
    }

    /** A path pattern made concrete: {@code {id}} and {@code *} filled with harmless values. */
    private static String concrete(String pattern) {
        return pattern.replaceAll("\\{[^}]+}", "aaaaaaaaaaaa").replace("*", "checkpoint");
    }

    private HttpResponse<String> send(TestGateway gw, String method, String path, String key, String classification)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base() + path))
                .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .header("X-Bastion-Classification", classification);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode refusal(List<JsonNode> entries, String requestId) {
        return entries.stream().filter(e -> e.path("kind").asText().equals("bastion.audit.refused/v1")
                && e.path("request_id").asText().equals(requestId)).findFirst().orElse(null);
    }

    private static List<JsonNode> admin(List<JsonNode> entries, String requestId) {
        return entries.stream().filter(e -> e.path("kind").asText().equals("bastion.audit.admin/v1")
                && e.path("request_id").asText().equals(requestId)).toList();
    }
}
