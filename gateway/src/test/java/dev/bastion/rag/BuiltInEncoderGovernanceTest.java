package dev.bastion.rag;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in encoder is a model like any other: registered as a draft, and it routes only once approved. */
class BuiltInEncoderGovernanceTest {
    @Test
    void theBuiltInEmbeddingsAliasIsRefusedUntilItsRegistryEntryIsApproved() throws Exception {
        try (TestGateway gw = TestGateway.startYaml("""
                server:
                  port: 0
                governance:
                  insecure-serve-unregistered: false
                rag:
                  embeddings-alias: minilm
                """)) {
            String dev = gw.developerKey();
            var r = gw.send("POST", "/v1/embeddings", dev, "{\"model\":\"minilm\",\"input\":\"hello\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(TestGateway.errorCode(r)).isEqualTo("model_not_approved");
            var entries = gw.send("GET", "/bastion/v1/models", gw.adminKey, null);
            assertThat(entries.statusCode()).as(entries.body()).isEqualTo(200);
            JsonNode list = TestGateway.json(entries.body());
            assertThat(list.toString()).contains("all-minilm-l6-v2-q").contains("draft");
        }
    }
}
