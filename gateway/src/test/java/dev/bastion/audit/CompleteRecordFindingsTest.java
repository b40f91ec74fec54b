package dev.bastion.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Through a real server: the complete record of an exchange counts, by type, what output inspection found in the
 * answer that left — for a JSON answer and for the same answer streamed through the sliding window — and never
 * holds the values.
 */
class CompleteRecordFindingsTest {
    private static final String ASK = "{\"model\":\"leak\",%s\"messages\":[{\"role\":\"user\",\"content\":\"who?\"}]}";

    @Test
    void theCompleteRecordCountsWhatTheAnswerHeldByTypeForJsonAndStreams() throws Exception {
        try (var upstream = new StandInUpstream(); var gw = TestGateway.startYaml("""
                server: {port: 0}
                backends:
                  - {name: standin, url: "%s", max-classification: internal}
                models:
                  - {alias: leak, backend: standin, model: leak}
                """.formatted(upstream.baseUrl()))) {
            String key = gw.developerKey();
            HttpResponse<String> json = gw.chat(key, ASK.formatted(""));
            HttpResponse<String> stream = gw.chat(key, ASK.formatted("\"stream\":true,"));
            for (HttpResponse<String> r : List.of(json, stream)) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.body()).doesNotContain("jane.roe@example.org").contains("[EMAIL_ADDRESS]");
            }
            Map<String, Integer> expected = Map.of("EMAIL_ADDRESS", 2, "PHONE_NUMBER", 1);
            for (HttpResponse<String> r : List.of(json, stream)) {
                long accept = Long.parseLong(r.headers().firstValue("X-Bastion-Audit-Index").orElseThrow());
                JsonNode complete = completeOf(gw, accept);
                for (var e : expected.entrySet()) {
                    assertThat(complete.path("findings").path(e.getKey()).asInt()).as(e.getKey() + " in " + complete)
                            .isEqualTo(e.getValue());
                }
                assertThat(complete.toString()).doesNotContain("example.org").doesNotContain("555");
            }
        }
    }

    private static JsonNode completeOf(TestGateway gw, long acceptIndex) {
        List<JsonNode> found = new ArrayList<>();
        await().atMost(15, TimeUnit.SECONDS).until(() -> {
            found.clear();
            for (JsonNode e : AuditLogEntries.of(gw)) {
                if (e.path("kind").asText().equals(CompleteEntry.KIND) && e.path("accept_index").asLong() == acceptIndex) {
                    found.add(e);
                }
            }
            return !found.isEmpty();
        });
        return found.getFirst();
    }
}
