package dev.bastion.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Residency: a request's classification is what it declares raised by what inspection found, and it is routed only
 * to backends approved for that level — a PHI-bearing prompt never reaches the {@code internal} backend, even when
 * the {@code confidential} one is down and even when the caller declared {@code public}.
 */
class ResidencyRoutingTest {
    private static final String PHI = "Summarise the chart of patient MRN: 00123456 for the ward round";
    private static final String PLAIN = "Summarise the weather report for the ward round";

    private static String body(String text) {
        return "{\"model\":\"care\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    @Test
    void aPhiPromptNeverReachesTheInternalBackendEvenWhenTheConfidentialOneIsDown() throws Exception {
        try (StandInUpstream internal = new StandInUpstream();
             TestGateway gw = TestGateway.startYaml("server: {port: 0, read-timeout: 2s}\nbackends:\n"
                     + FailoverTest.backend("confidential", "http://127.0.0.1:" + FailoverTest.deadPort() + "/v1",
                             "confidential")
                     + FailoverTest.backend("internal", internal.baseUrl().toString(), "internal")
                     + "models:\n  - alias: care\n    backends:\n      - {backend: confidential, model: stand-in}\n"
                     + "      - {backend: internal, model: stand-in, priority: 1}\n")) {
            String key = gw.developerKey();
            // plain data falls back to the internal backend: it may have it
            assertThat(gw.chat(key, body(PLAIN), "X-Bastion-Purpose", "support").statusCode()).isEqualTo(200);
            assertThat(internal.requestCount()).isEqualTo(1);

            for (String declared : new String[] {"public", "internal", "confidential"}) {
                HttpResponse<String> r = gw.chat(key, body(PHI), "X-Bastion-Purpose", "support",
                        "X-Bastion-Classification", declared);
                assertThat(r.statusCode()).as(declared + ": " + r.body()).isEqualTo(503);
                JsonNode error = TestGateway.json(r.body()).path("error");
                assertThat(error.path("code").asText()).isEqualTo("no_compliant_backend");
                assertThat(r.body()).contains("classification=1").doesNotContain("00123456");
            }
            assertThat(internal.requestCount()).as("the internal backend never saw the PHI").isEqualTo(1);
            assertThat(internal.bodies()).noneMatch(b -> new String(b).contains("00123456"));
        }
    }

    @Test
    void aPhiPromptGoesToTheConfidentialBackendWhenItIsUp() throws Exception {
        try (StandInUpstream confidential = new StandInUpstream(); StandInUpstream internal = new StandInUpstream();
             TestGateway gw = TestGateway.startYaml("server: {port: 0, read-timeout: 2s}\nbackends:\n"
                     + FailoverTest.backend("confidential", confidential.baseUrl().toString(), "confidential")
                     + FailoverTest.backend("internal", internal.baseUrl().toString(), "internal")
                     // the internal backend is preferred: only the content moves the PHI request away from it
                     + "models:\n  - alias: care\n    backends:\n      - {backend: internal, model: stand-in}\n"
                     + "      - {backend: confidential, model: stand-in, priority: 1}\n")) {
            String key = gw.developerKey();
            assertThat(gw.chat(key, body(PHI), "X-Bastion-Purpose", "support", "X-Bastion-Classification", "public")
                    .statusCode()).isEqualTo(200);
            assertThat(gw.chat(key, body(PLAIN), "X-Bastion-Purpose", "support").statusCode()).isEqualTo(200);
            assertThat(confidential.requestCount()).isEqualTo(1);
            assertThat(internal.requestCount()).isEqualTo(1);
            assertThat(internal.bodies()).noneMatch(b -> new String(b).contains("00123456"));
        }
    }
}
