package dev.bastion.ops;

import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class OperationsTest {

    @Test
    void metricsCountRequestsAndTokensByAliasWithoutContent() throws Exception {
        try (var upstream = new StandInUpstream(); var gw = TestGateway.start(upstream)) {
            String secret = "patient Jane Roe has condition X";
            gw.chat(gw.developerKey(), "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + secret + "\"}]}");
            gw.chat(gw.developerKey(), "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
            gw.chat(gw.developerKey(), "{\"model\":\"made-up-" + secret.replace(' ', '-') + "\",\"messages\":[]}");
            gw.chat("bst_bad", "{}");
            String metrics = gw.send("GET", "/metrics", null, null).body();
            assertThat(metrics).contains("bastion_requests_total{backend=\"standin\",model=\"chat\",operation=\"chat\",outcome=\"ok\",status=\"200\"} 2.0");
            assertThat(metrics).contains("bastion_tokens_total{backend=\"standin\",kind=\"completion\",model=\"chat\"} 14.0");
            assertThat(metrics).contains("model=\"unknown\"").contains("status=\"401\"");
            assertThat(metrics).contains("bastion_request_duration_seconds_bucket");
            assertThat(metrics).doesNotContain("Jane").doesNotContain("made-up");
        }
    }

    @Test
    void readinessReportsTheStoreAndEachBackend() throws Exception {
        try (var upstream = new StandInUpstream(); var gw = TestGateway.start(upstream)) {
            HttpResponse<String> ready = gw.send("GET", "/readyz", null, null);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"store\":\"up\"").contains("\"standin\":\"up\"");
            assertThat(gw.send("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
        }
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (var gw = TestGateway.startYaml("server: {port: 0}\nbackends:\n  - {name: gone, url: \"http://127.0.0.1:"
                + port + "/v1\", connect-timeout: 1s}\nmodels:\n  - {alias: m, backend: gone}\n")) {
            HttpResponse<String> notReady = gw.send("GET", "/readyz", null, null);
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("\"gone\":\"down\"");
            assertThat(gw.send("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
        }
    }
}
