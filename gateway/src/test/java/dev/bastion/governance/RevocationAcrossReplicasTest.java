package dev.bastion.governance;

import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.bastion.testing.TestGateway.errorCode;
import static dev.bastion.testing.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas on one PostgreSQL database: an approval made on one serves on the other, and a revocation made on one
 * is refused on the other on the very next request — the writer answers only once every live replica has applied it
 * (LISTEN/NOTIFY plus confirmations), so no cache has to expire first.
 */
class RevocationAcrossReplicasTest {

    @Test
    void revokingOnOneReplicaStopsServingOnTheOtherAtTheNextRequest() throws Exception {
        Path dir = Files.createTempDirectory("bastion-replicas");
        try (var upstream = new StandInUpstream(); var store = TestStores.postgres();
             var first = TestGateway.startYaml(yaml(dir, "a", store, upstream));
             var second = TestGateway.startYaml(yaml(dir, "b", store, upstream))) {
            assertThat(first.adminKey).isNotNull();
            var people = new Stewards(first, upstream);
            String id = people.registerRemote(people.a, "stand-in-7b", "standin", "stand-in-7b");
            people.card(people.a, id, "low");
            people.evaluate(people.a, id, people.suite("one.jsonl", """
                    {"prompt":"Who are you?","expected":"stand-in","match":"contains"}
                    """));
            // not approved yet: refused on both replicas
            assertThat(errorCode(people.chat(people.developer, "chat"))).isEqualTo("model_not_approved");
            assertThat(errorCode(second.chat(people.developer, chatBody()))).isEqualTo("model_not_approved");

            var approved = people.approve(people.b, id);
            assertThat(json(approved.body()).path("state").asText()).isEqualTo("approved");
            assertThat(json(approved.body()).path("replicas_confirmed").asBoolean()).isTrue();
            assertThat(second.chat(people.developer, chatBody()).statusCode()).isEqualTo(200);

            var revoked = people.post(people.c, "/bastion/v1/models/" + id + "/revoke", "{\"reason\":\"recalled\"}");
            assertThat(json(revoked.body()).path("state").asText()).isEqualTo("revoked");
            assertThat(json(revoked.body()).path("replicas_confirmed").asBoolean()).isTrue();
            // the very next request to the other replica is refused: no waiting, no retry
            var next = second.chat(people.developer, chatBody());
            assertThat(next.statusCode()).isEqualTo(403);
            assertThat(errorCode(next)).isEqualTo("model_not_approved");
            // and the entry reads the same from either replica
            assertThat(json(second.send("GET", "/bastion/v1/models/" + id, people.c, null).body()).path("state").asText())
                    .isEqualTo("revoked");
        }
    }

    private static String chatBody() {
        return "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    }

    private static String yaml(Path dir, String name, TestStores.Handle store, StandInUpstream upstream) {
        return """
                server: {port: 0, read-timeout: 5s, shutdown-grace: 1s}
                data-dir: %s
                store: {type: postgres, url: "%s", user: "%s", password: "%s", pool-size: 8}
                barrier:
                  provider: insecure-file
                  insecure-file: {path: "%s"}
                backends:
                  - {name: standin, type: openai, url: "%s", read-timeout: 5s, region: eu-west, max-classification: confidential}
                models:
                  - {alias: chat, backend: standin, model: stand-in-7b}
                governance: {}
                """.formatted(dir.resolve(name + "-data"), store.config().url(), store.config().user(),
                store.config().password().value(), dir.resolve("shared-root.key"), upstream.baseUrl());
    }
}
