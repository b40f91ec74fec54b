package dev.bastion.quota;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quotas in a running server: over a limit is 429 with Retry-After and a stable code, nothing reaches the backend,
 * the refusal is audited; usage is settled from what the backend reported; thresholds leave audit entries; the
 * caller can read what is left.
 */
class QuotaGatewayTest {
    private static final String HELLO = "{\"model\":\"chat\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void overTheLimitIs429WithRetryAfterAndTheBudgetStateAndThresholdsAreVisible() throws Exception {
        try (StandInUpstream upstream = new StandInUpstream();
             TestGateway gw = TestGateway.start(upstream, """
                     quotas:
                       prices:
                         chat: {prompt: 1.0, completion: 2.0}
                       rules:
                         - {name: per-key, scope: key, requests-per-minute: 3}
                         - {name: team-budget, scope: "attribute:team", tokens-per-day: 150, cost-per-day: 1}
                     """)) {
            String key = gw.createKey("{\"name\":\"app\",\"attributes\":{\"team\":\"blue\"}}");
            for (int i = 0; i < 3; i++) assertThat(gw.chat(key, HELLO).statusCode()).isEqualTo(200);
            HttpResponse<String> refused = gw.chat(key, HELLO);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(TestGateway.errorCode(refused)).isEqualTo("rate_limit_exceeded");
            assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong).orElseThrow()).isBetween(1L, 60L);
            assertThat(TestGateway.json(refused.body()).path("error").path("quota").asText()).isEqualTo("per-key");
            assertThat(upstream.requestCount()).isEqualTo(3);

            // another key of the same team: its own rate, the team's shared budget — which the price spends
            String other = gw.createKey("{\"name\":\"other\",\"attributes\":{\"team\":\"blue\"}}");
            HttpResponse<String> budget = null;
            for (int i = 0; i < 3 && (budget == null || budget.statusCode() == 200); i++) budget = gw.chat(other, HELLO);
            assertThat(budget.statusCode()).as(budget.body()).isEqualTo(429);
            assertThat(TestGateway.errorCode(budget)).isEqualTo("budget_exceeded");

            // the stand-in reports 11 prompt + 7 completion tokens: what was settled, not what was reserved
            HttpResponse<String> mine = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                    () -> gw.send("GET", "/bastion/v1/quotas/mine", key, null),
                    r -> settled(r));
            assertThat(counter(mine, "per-key").path("limit_value").asLong()).isEqualTo(3);
            JsonNode tokens = null;
            for (JsonNode c : TestGateway.json(mine.body()).path("counters")) {
                if (c.path("limit").asText().equals("tokens-per-day")) tokens = c;
            }
            assertThat(tokens.path("used").asLong()).isEqualTo(5 * 18);
            JsonNode cost = null;
            for (JsonNode c : TestGateway.json(mine.body()).path("counters")) {
                if (c.path("limit").asText().equals("cost-per-day")) cost = c;
            }
            assertThat(cost.path("used").asLong()).as("micro-units: 11 x 1 + 7 x 2 per request: %s", mine.body())
                    .isEqualTo(5 * 25);

            assertThat(gw.send("GET", "/bastion/v1/quotas", key, null).statusCode()).isEqualTo(403);
            assertThat(gw.send("GET", "/bastion/v1/quotas", gw.adminKey, null).statusCode()).isEqualTo(200);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> AuditLogEntries.of(gw).stream()
                    .filter(e -> e.path("kind").asText().equals("bastion.audit.quota/v1"))
                    .map(e -> e.path("rule").asText() + "@" + e.path("threshold").asInt()).toList()
                    .containsAll(java.util.List.of("per-key@80", "per-key@100")));
            assertThat(AuditLogEntries.of(gw)).anyMatch(e -> e.path("kind").asText().equals("bastion.audit.refused/v1")
                    && e.path("error_code").asText().equals("rate_limit_exceeded"));
            assertThat(gw.send("GET", "/metrics", null, null).body()).contains("bastion_quota_utilisation{limit=\"requests-per-minute\",quota=\"per-key\"}");
        }
    }

    private static boolean settled(HttpResponse<String> r) {
        try {
            // settlement runs when each exchange completes, after its answer was sent: wait until all five did
            if (TestGateway.json(r.body()).path("counters").size() < 2 || counter(r, "per-key").path("used").asLong() != 3) {
                return false;
            }
            long tokens = -1, cost = -1;
            for (JsonNode c : TestGateway.json(r.body()).path("counters")) {
                if (c.path("limit").asText().equals("tokens-per-day")) tokens = c.path("used").asLong();
                if (c.path("limit").asText().equals("cost-per-day")) cost = c.path("used").asLong();
            }
            return tokens >= 5 * 18 && cost >= 5 * 25;
        } catch (Exception e) {
            return false;
        }
    }

    private static JsonNode counter(HttpResponse<String> r, String rule) throws Exception {
        for (JsonNode c : TestGateway.json(r.body()).path("counters")) if (c.path("rule").asText().equals(rule)) return c;
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
