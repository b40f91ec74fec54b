package dev.bastion.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hole 5 of issue 13: what a caller types enters the immutable log only after it is checked against what exists.
 * A token sent as a model name, purpose or classification must not become a permanent part of the log.
 */
class CallerTextInTheLogTest {
    static final String SECRET = "tok-7f3a9c2e8b1d4f6a";
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

    private static HttpResponse<String> chat(String model, String header, String value) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + gw.developerKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        if (header != null) b.header(header, value);
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static List<String> rawLog() throws Exception {
        return AuditLogEntries.of(gw).stream().map(JsonNode::toString).toList();
    }

    @Test
    void anUnknownModelNameIsRecordedAsAMarkerNeverVerbatim() throws Exception {
        HttpResponse<String> r = chat("sk-live-" + SECRET, null, null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(rawLog()).noneMatch(e -> e.contains(SECRET));
        String id = r.headers().firstValue("X-Bastion-Request-Id").orElseThrow();
        // the refusal is recorded once the answer is out: wait for it
        JsonNode refused = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> AuditLogEntries.of(gw).stream().filter(e -> e.path("request_id").asText().equals(id))
                        .findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(refused.path("model").path("alias").asText()).isEqualTo("?unknown");
    }

    @Test
    void aModelThatExistsIsNamedEvenWhenTheRequestIsRefusedBeforeRouting() throws Exception {
        HttpResponse<String> r = chat("chat", "X-Bastion-Classification", "restricted");
        assertThat(r.statusCode()).isEqualTo(403);
        String id = r.headers().firstValue("X-Bastion-Request-Id").orElseThrow();
        JsonNode refused = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> AuditLogEntries.of(gw).stream().filter(e -> e.path("request_id").asText().equals(id))
                        .findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(refused.path("model").path("alias").asText()).isEqualTo("chat");
    }

    @Test
    void anUnregisteredPurposeOrClassificationIsRecordedAsAMarker() throws Exception {
        assertThat(chat("chat", "X-Bastion-Purpose", "purpose-" + SECRET).statusCode()).isEqualTo(200);
        assertThat(chat("chat", "X-Bastion-Classification", "cls-" + SECRET).statusCode()).isEqualTo(403);
        assertThat(rawLog()).noneMatch(e -> e.contains(SECRET));
        assertThat(chat("chat", "X-Bastion-Purpose", "support").statusCode()).isEqualTo(200);
        assertThat(AuditLogEntries.of(gw)).anySatisfy(e -> assertThat(e.path("purpose").asText()).isEqualTo("support"))
                .anySatisfy(e -> assertThat(e.path("purpose").asText()).isEqualTo("?unregistered"));
    }
}
