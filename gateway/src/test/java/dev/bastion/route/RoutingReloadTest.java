package dev.bastion.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Backends and aliases reload from the configuration file without a restart; an invalid file changes nothing. */
class RoutingReloadTest {
    private static final String HELLO = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static String yaml(String backends, String models) {
        return "server: {port: 0, read-timeout: 2s}\nbackends:\n" + backends + "models:\n" + models;
    }

    @Test
    void addedChangedAndRemovedBackendsTakeEffectAtOnceAndTheEgressManifestFollows() throws Exception {
        try (StandInUpstream a = new StandInUpstream(); StandInUpstream b = new StandInUpstream()) {
            String backendA = FailoverTest.backend("a", a.baseUrl().toString(), "internal");
            String backendB = FailoverTest.backend("b", b.baseUrl().toString(), "internal");
            try (TestGateway gw = TestGateway.startYaml(yaml(backendA, "  - {alias: chat, backend: a, model: stand-in}\n"))) {
                String key = gw.developerKey();
                assertThat(gw.chat(key, HELLO.formatted("chat")).statusCode()).isEqualTo(200);
                assertThat(gw.chat(key, HELLO.formatted("other")).statusCode()).isEqualTo(404);

                Files.writeString(gw.configFile(), yaml(backendA + backendB,
                        "  - {alias: chat, backend: b, model: stand-in}\n  - {alias: other, backend: a, model: stand-in}\n")
                        + "data-dir: " + gw.dataDir.resolve("data") + "\n");
                HttpResponse<String> r = gw.send("POST", "/bastion/v1/routing/reload", gw.adminKey, "{}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode result = TestGateway.json(r.body());
                assertThat(result.path("backends_added").toString()).isEqualTo("[\"b\"]");
                assertThat(result.path("backends_unchanged").toString()).isEqualTo("[\"a\"]");
                assertThat(gw.chat(key, HELLO.formatted("chat")).statusCode()).isEqualTo(200);
                assertThat(gw.chat(key, HELLO.formatted("other")).statusCode()).isEqualTo(200);
                assertThat(b.requestCount()).isEqualTo(1);
                assertThat(a.requestCount()).isEqualTo(2);

                Files.writeString(gw.configFile(), yaml(backendB, "  - {alias: chat, backend: b, model: stand-in}\n")
                        + "data-dir: " + gw.dataDir.resolve("data") + "\n");
                r = gw.send("POST", "/bastion/v1/routing/reload", gw.adminKey, "{}");
                assertThat(TestGateway.json(r.body()).path("backends_removed").toString()).isEqualTo("[\"a\"]");
                assertThat(gw.chat(key, HELLO.formatted("other")).statusCode()).isEqualTo(404);

                // the log says where data could go at every moment: a manifest at start and after each change
                List<JsonNode> manifests = AuditLogEntries.of(gw).stream()
                        .filter(e -> e.path("kind").asText().equals("bastion.audit.egress/v1")).toList();
                assertThat(manifests.getLast().path("destinations").toString()).contains("backend:b")
                        .doesNotContain("backend:a");
                assertThat(manifests.stream().map(m -> m.path("reason").asText()).toList()).contains("start", "change");
                assertThat(AuditLogEntries.of(gw)).anyMatch(e -> e.path("action").asText().equals("routing.reload"));
            }
        }
    }

    @Test
    void anInvalidFileIsRefusedAndRoutingKeepsRunning() throws Exception {
        try (StandInUpstream a = new StandInUpstream();
             TestGateway gw = TestGateway.startYaml(yaml(FailoverTest.backend("a", a.baseUrl().toString(), "internal"),
                     "  - {alias: chat, backend: a, model: stand-in}\n"))) {
            Files.writeString(gw.configFile(), yaml(FailoverTest.backend("a", a.baseUrl().toString(), "internal"),
                    "  - {alias: chat, backend: nowhere}\n") + "data-dir: " + gw.dataDir.resolve("data") + "\n");
            HttpResponse<String> r = gw.send("POST", "/bastion/v1/routing/reload", gw.adminKey, "{}");
            assertThat(r.statusCode()).isEqualTo(422);
            assertThat(TestGateway.errorCode(r)).isEqualTo("config_invalid");
            assertThat(gw.chat(gw.developerKey(), HELLO.formatted("chat")).statusCode()).isEqualTo(200);
            // operators do not reload routing by holding a model key
            assertThat(gw.send("POST", "/bastion/v1/routing/reload", gw.developerKey(), "{}").statusCode()).isEqualTo(403);
        }
    }
}
