package dev.bastion.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInOllama;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The accept record describes the bytes the backend received — checked against capture upstreams that keep every
 * body exactly as it arrived: a body forwarded untouched, one the pipeline changed (pseudonyms, the token cap),
 * a stream for which Bastion asks the usage chunk as its very last change, and a call translated for Ollama.
 */
class AcceptRecordDescribesSentBytesTest {

    @Test
    void theAcceptRecordHoldsTheLengthAndDigestOfExactlyWhatTheBackendGot() throws Exception {
        try (var upstream = new StandInUpstream(); var ollama = new StandInOllama();
             var gw = TestGateway.startYaml("""
                     server: {port: 0}
                     backends:
                       - {name: standin, url: "%s", max-classification: internal}
                       - {name: local-ollama, type: ollama, url: "%s", max-classification: internal}
                     models:
                       - {alias: same, backend: standin}
                       - {alias: chat, backend: standin, model: stand-in-7b}
                       - {alias: llama, backend: local-ollama, model: "llama3.2:1b"}
                     """.formatted(upstream.baseUrl(), ollama.baseUrl()))) {
            String key = gw.developerKey();
            List<HttpResponse<String>> toOpenAi = List.of(
                    // alias = upstream name and nothing to change: the client's own bytes go through
                    gw.chat(key, "{\"model\":\"same\",  \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                    // a name is pseudonymised and the upstream model name put in: the body is written anew
                    gw.chat(key, "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":"
                            + "\"Please greet Jane Roe for me\"}]}"),
                    // a stream: asking for the usage chunk is the last change before the record
                    gw.chat(key, "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                            + "\"content\":\"hi\"}]}"));
            HttpResponse<String> toOllama = gw.chat(key, "{\"model\":\"llama\",\"stream\":true,\"messages\":"
                    + "[{\"role\":\"user\",\"content\":\"hi\"}]}");

            assertThat(new String(upstream.bodies().get(0), StandardCharsets.UTF_8)).contains("\"same\",  \"messages\"");
            assertThat(new String(upstream.bodies().get(1), StandardCharsets.UTF_8)).contains("<PERSON_1>")
                    .doesNotContain("Jane");
            assertThat(new String(upstream.bodies().get(2), StandardCharsets.UTF_8)).contains("include_usage");
            for (int i = 0; i < toOpenAi.size(); i++) {
                assertDescribes(gw, toOpenAi.get(i), "standin", upstream.bodies().get(i));
            }
            assertDescribes(gw, toOllama, "local-ollama", ollama.rawBodies().getLast());
        }
    }

    @Test
    void withAFallbackTheRecordDescribesTheCallPreparedForEveryPlannedBackendAndTheOneThatAnswered() throws Exception {
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        try (var live = new StandInUpstream(); var gw = TestGateway.startYaml("""
                server: {port: 0, read-timeout: 2s}
                backends:
                  - {name: dead, url: "http://127.0.0.1:%d/v1", max-classification: internal, connect-timeout: 1s}
                  - {name: live, url: "%s", max-classification: internal}
                models:
                  - alias: chat
                    backends:
                      - {backend: dead, model: gone-7b}
                      - {backend: live, model: stand-in, priority: 1}
                """.formatted(dead, live.baseUrl()))) {
            HttpResponse<String> r = gw.chat(gw.developerKey(), "{\"model\":\"chat\",\"messages\":[{\"role\":"
                    + "\"user\",\"content\":\"hi\"}]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            long index = Long.parseLong(r.headers().firstValue("X-Bastion-Audit-Index").orElseThrow());
            List<JsonNode> entries = new ArrayList<>();
            await().atMost(10, TimeUnit.SECONDS).until(() -> {
                entries.clear();
                entries.addAll(AuditLogEntries.of(gw));
                return entries.stream().anyMatch(e -> e.path("accept_index").asLong(-1) == index);
            });
            JsonNode accept = entries.get((int) index);
            JsonNode complete = entries.stream().filter(e -> e.path("accept_index").asLong(-1) == index).findFirst().orElseThrow();
            assertThat(accept.path("sent")).extracting(n -> n.path("backend").asText()).containsExactly("dead", "live");
            assertThat(complete.path("backend").asText()).isEqualTo("live");
            SentBody got = SentBody.of("live", live.bodies().getLast());
            assertThat(accept.path("sent").get(1).path("sha256").asText()).isEqualTo(got.sha256());
            assertThat(accept.path("sent").get(0).path("sha256").asText()).as("another upstream name, other bytes")
                    .isNotEqualTo(got.sha256());
        }
    }

    private static void assertDescribes(TestGateway gw, HttpResponse<String> answer, String backend, byte[] captured)
            throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        long index = Long.parseLong(answer.headers().firstValue("X-Bastion-Audit-Index").orElseThrow());
        List<JsonNode> entries = new ArrayList<>();
        await().atMost(10, TimeUnit.SECONDS).until(() -> {
            entries.clear();
            entries.addAll(AuditLogEntries.of(gw));
            return entries.size() > index;
        });
        JsonNode accept = entries.get((int) index);
        assertThat(accept.path("kind").asText()).isEqualTo(RequestEntry.KIND);
        SentBody expected = SentBody.of(backend, captured);
        assertThat(accept.path("sent")).as("one backend, no fallback").hasSize(1);
        JsonNode sent = accept.path("sent").get(0);
        assertThat(sent.path("backend").asText()).isEqualTo(backend);
        assertThat(sent.path("sha256").asText()).as("digest of the captured body").isEqualTo(expected.sha256());
        assertThat(sent.path("bytes").asLong()).isEqualTo(expected.bytes());
    }
}
