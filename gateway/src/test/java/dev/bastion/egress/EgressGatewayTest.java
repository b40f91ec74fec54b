package dev.bastion.egress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate inside a running server: the manifest leads the audit log, and a refused backend is a 502 with a code. */
class EgressGatewayTest {

    @Test
    void theManifestIsInTheAuditLogBeforeTheFirstRequestAndNamesEveryBackend() throws Exception {
        try (StandInUpstream upstream = new StandInUpstream(); TestGateway gw = TestGateway.start(upstream)) {
            assertThat(gw.chat(gw.developerKey(), "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .statusCode()).isEqualTo(200);
            List<JsonNode> entries = AuditLogEntries.of(gw);
            int manifest = -1, firstRequest = -1;
            for (int i = 0; i < entries.size(); i++) {
                String kind = entries.get(i).path("kind").asText();
                if (manifest < 0 && kind.equals("bastion.audit.egress/v1")) manifest = i;
                if (firstRequest < 0 && kind.equals("bastion.audit.request/v1")) firstRequest = i;
            }
            assertThat(manifest).isNotNegative().isLessThan(firstRequest);
            JsonNode m = entries.get(manifest);
            assertThat(m.path("reason").asText()).isEqualTo("start");
            assertThat(m.path("mode").asText()).isEqualTo("declared");
            assertThat(m.path("destinations")).singleElement().satisfies(d -> {
                assertThat(d.path("purpose").asText()).isEqualTo("backend:standin");
                assertThat(d.path("host").asText()).isEqualTo("127.0.0.1");
                assertThat(d.path("port").asInt()).isEqualTo(upstream.baseUrl().getPort());
            });
        }
    }

    @Test
    void aBackendOutsideTheAllowListAnswersEgressDeniedAndIsNeverCalled() throws Exception {
        try (StandInUpstream upstream = new StandInUpstream();
             TestGateway gw = TestGateway.start(upstream, """
                     egress:
                       mode: allow-list
                       allow:
                         - network: 127.0.0.2
                     """)) {
            var r = gw.chat(gw.developerKey(), "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(TestGateway.errorCode(r)).isEqualTo("egress_denied");
            assertThat(r.body()).doesNotContain("hi\"");
            assertThat(upstream.requestCount()).isZero();
        }
    }
}
