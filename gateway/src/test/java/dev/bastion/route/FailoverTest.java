package dev.bastion.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fallback happens only before the first byte reaches the client, only to backends the request may go to, and the
 * audit record names the backend that answered.
 */
class FailoverTest {
    private static final String HELLO = "{\"model\":\"%s\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}";

    /** A port nothing listens on: connecting is refused, as for a backend whose process died. */
    static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String backend(String name, String url, String maxClassification) {
        return "  - {name: " + name + ", url: \"" + url + "\", max-classification: " + maxClassification
                + ", connect-timeout: 1s, read-timeout: 2s}\n";
    }

    @Test
    void aDeadBackendIsSkippedBeforeTheFirstByteAndTheAuditRecordNamesTheOneThatAnswered() throws Exception {
        try (StandInUpstream live = new StandInUpstream();
             TestGateway gw = TestGateway.startYaml("server: {port: 0, read-timeout: 2s}\nbackends:\n"
                     + backend("dead", "http://127.0.0.1:" + deadPort() + "/v1", "internal")
                     + backend("live", live.baseUrl().toString(), "internal")
                     + "models:\n  - alias: chat\n    backends:\n      - {backend: dead, model: stand-in}\n"
                     + "      - {backend: live, model: stand-in, priority: 1}\n")) {
            String key = gw.developerKey();
            HttpResponse<String> json = gw.chat(key, HELLO.formatted("chat", false, "hi"));
            assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
            HttpResponse<String> stream = gw.chat(key, HELLO.formatted("chat", true, "hi"));
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.body()).contains("Hello").endsWith("data: [DONE]\n\n");
            assertThat(live.requestCount()).isEqualTo(2);

            JsonNode complete = awaitComplete(gw, json.headers().firstValue("X-Bastion-Request-Id").orElseThrow());
            assertThat(complete.path("backend").asText()).isEqualTo("live");
            assertThat(complete.path("fallbacks").asInt()).isEqualTo(1);
            JsonNode accept = AuditLogEntries.of(gw).get(Integer.parseInt(
                    json.headers().firstValue("X-Bastion-Audit-Index").orElseThrow()));
            assertThat(accept.path("model").path("backend").asText()).isEqualTo("dead"); // the plan at accept time
        }
    }

    @Test
    void aStreamCutAfterTheFirstByteEndsInAnErrorEventAndIsNeverSentAgain() throws Exception {
        try (StandInUpstream breaking = new StandInUpstream(); StandInUpstream other = new StandInUpstream();
             TestGateway gw = TestGateway.startYaml("server: {port: 0, read-timeout: 2s}\nbackends:\n"
                     + backend("breaking", breaking.baseUrl().toString(), "internal")
                     + backend("other", other.baseUrl().toString(), "internal")
                     + "models:\n  - alias: chat\n    backends:\n      - {backend: breaking, model: break-stream}\n"
                     + "      - {backend: other, model: stand-in, priority: 1}\n")) {
            HttpResponse<String> r = gw.chat(gw.developerKey(), HELLO.formatted("chat", true, "hi"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"model\":\"break-stream\"").contains("backend_unavailable")
                    .doesNotContain("[DONE]").doesNotContain("stand-in");
            assertThat(r.body().split("chat.completion.chunk", -1)).as("the two events sent, once").hasSize(3);
            assertThat(other.requestCount()).isZero();
        }
    }

    @Test
    void aRefusalOfTheRequestItselfIsNotRetriedElsewhere() throws Exception {
        try (StandInUpstream first = new StandInUpstream(); StandInUpstream second = new StandInUpstream();
             TestGateway gw = TestGateway.startYaml("server: {port: 0, read-timeout: 2s}\nbackends:\n"
                     + backend("first", first.baseUrl().toString(), "internal")
                     + backend("second", second.baseUrl().toString(), "internal")
                     + "models:\n  - alias: chat\n    backends:\n      - {backend: first, model: fail-422}\n"
                     + "      - {backend: second, model: stand-in, priority: 1}\n"
                     + "  - alias: flaky\n    backends:\n      - {backend: first, model: fail-503}\n"
                     + "      - {backend: second, model: stand-in, priority: 1}\n")) {
            String key = gw.developerKey();
            HttpResponse<String> rejected = gw.chat(key, HELLO.formatted("chat", false, "hi"));
            assertThat(rejected.statusCode()).isEqualTo(400);
            assertThat(TestGateway.errorCode(rejected)).isEqualTo("backend_rejected");
            assertThat(second.requestCount()).isZero();
            HttpResponse<String> unavailable = gw.chat(key, HELLO.formatted("flaky", false, "hi"));
            assertThat(unavailable.statusCode()).isEqualTo(200); // a 503 from one backend: the next one answers
            assertThat(second.requestCount()).isEqualTo(1);
        }
    }

    /** The complete record of a request (appended after the answer, so it may take a moment). */
    static JsonNode awaitComplete(TestGateway gw, String requestId) {
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                    for (JsonNode e : AuditLogEntries.of(gw)) {
                        if (e.path("kind").asText().equals("bastion.audit.complete/v1")
                                && e.path("request_id").asText().equals(requestId)) return e;
                    }
                    return null;
                }, java.util.Objects::nonNull);
    }
}
