package dev.bastion.privacy;

import dev.bastion.store.StoreConfig;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestFiles;
import dev.bastion.testing.TestGateway;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.bastion.privacy.PrivacyGateways.chat;
import static dev.bastion.privacy.PrivacyGateways.code;
import static dev.bastion.privacy.PrivacyGateways.json;
import static dev.bastion.privacy.PrivacyGateways.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas on one store: a withdrawal recorded through one of them refuses the very next request on the
 * other — the writer returns only once every live replica has dropped what it cached (no waiting, no TTL).
 */
class ConsentReplicasTest {
    private static final String SUBJECT = "customer-77";

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void withdrawalOnOneReplicaRefusesTheNextRequestOnAnother(StoreConfig.Kind kind) throws Exception {
        Path data = Files.createTempDirectory("bastion-replicas");
        try (var upstream = new StandInUpstream(); var store = TestStores.open(kind);
             TestGateway a = PrivacyGateways.start(upstream, store, "data-dir: " + data + "\n");
             TestGateway b = PrivacyGateways.start(upstream, store, "data-dir: " + data + "\n")) {
            String officer = PrivacyGateways.officerKey(a);
            String dev = a.createKey("{\"name\":\"app\"}");
            assertThat(post(a, "/bastion/v1/consents", officer, null, Map.of("subject", SUBJECT, "purpose",
                    "analytics", "basis", "legitimate-interest")).statusCode()).isEqualTo(200);
            // replica b has the grant cached after this request
            assertThat(chat(b, dev, "analytics", SUBJECT, "Segment this customer").statusCode()).isEqualTo(200);

            var withdrawn = post(a, "/bastion/v1/consents", officer, null, Map.of("subject", SUBJECT, "purpose",
                    "analytics", "state", "withdrawn", "basis", "legitimate-interest"));
            assertThat(withdrawn.statusCode()).isEqualTo(200);
            assertThat(json(withdrawn).path("propagation").path("applied_by").asInt()).as("both replicas applied it")
                    .isGreaterThanOrEqualTo(2);
            var next = chat(b, dev, "analytics", SUBJECT, "Segment this customer");
            assertThat(next.statusCode()).isEqualTo(403);
            assertThat(code(next)).isEqualTo("consent_missing");
        } finally {
            TestFiles.deleteTree(data);
        }
    }
}
