package dev.bastion.server;

import dev.bastion.cli.Main;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the passphrase key provider Bastion starts sealed: every API answers 503 {@code sealed} until an operator
 * initialises or unseals it, and what it stored survives a restart only for someone holding the passphrase.
 */
class SealedServerTest {
    static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String PASSPHRASE = "correct horse battery staple";

    static String yaml(StandInUpstream upstream, Path data) {
        return """
                server: {port: 0}
                data-dir: %s
                barrier:
                  provider: passphrase
                  passphrase: {memory-kib: 8192, iterations: 1}
                backends:
                  - {name: standin, url: "%s", max-classification: internal}
                models:
                  - {alias: chat, backend: standin}
                """.formatted(data, upstream.baseUrl());
    }

    @Test
    void sealedUntilInitialisedThenSealAndUnsealAcrossARestart() throws Exception {
        Path data = Files.createTempDirectory("bastion-sealed");
        try (var upstream = new StandInUpstream()) {
            String adminKey;
            String developer;
            try (TestGateway gw = TestGateway.startYaml(yaml(upstream, data.resolve("d")))) {
                assertThat(gw.adminKey).as("no key can be issued while sealed").isNull();
                HttpResponse<String> sealed = gw.chat("bst_whatever", CHAT);
                assertThat(sealed.statusCode()).isEqualTo(503);
                assertThat(TestGateway.errorCode(sealed)).isEqualTo("sealed");
                assertThat(gw.send("GET", "/readyz", null, null).body()).contains("\"barrier\":\"sealed\"");
                assertThat(gw.send("GET", "/bastion/v1/operator/status", null, null).body()).contains("uninitialized");
                assertThat(upstream.bodies()).as("nothing reached the model").isEmpty();

                String token = Files.readString(data.resolve("d").resolve("init-token")).strip();
                assertThat(gw.send("POST", "/bastion/v1/operator/init", null,
                        "{\"passphrase\":\"short\",\"init_token\":\"" + token + "\"}").statusCode()).isEqualTo(400);
                HttpResponse<String> init = gw.send("POST", "/bastion/v1/operator/init", null,
                        "{\"passphrase\":\"" + PASSPHRASE + "\",\"init_token\":\"" + token + "\"}");
                assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
                adminKey = TestGateway.json(init.body()).path("admin_key").asText();
                assertThat(adminKey).startsWith("bst_");
                developer = gw.createKey(adminKey, "{\"name\":\"developer\"}");
                assertThat(gw.chat(developer, CHAT).statusCode()).isEqualTo(200);
                assertThat(gw.send("POST", "/bastion/v1/operator/init", null,
                        "{\"passphrase\":\"" + PASSPHRASE + "\",\"init_token\":\"" + token + "\"}").statusCode())
                        .isEqualTo(409);

                assertThat(gw.send("POST", "/bastion/v1/operator/seal", null, null).statusCode()).isEqualTo(401);
                assertThat(gw.send("POST", "/bastion/v1/operator/seal", adminKey, null).statusCode()).isEqualTo(200);
                assertThat(TestGateway.errorCode(gw.chat(developer, CHAT))).isEqualTo("sealed");
            }
            try (TestGateway gw = TestGateway.startYaml(yaml(upstream, data.resolve("d")))) {
                assertThat(TestGateway.errorCode(gw.chat(developer, CHAT))).isEqualTo("sealed");
                HttpResponse<String> wrong = gw.send("POST", "/bastion/v1/operator/unseal", null,
                        "{\"passphrase\":\"not the right passphrase\"}");
                assertThat(wrong.statusCode()).isEqualTo(403);
                assertThat(TestGateway.errorCode(wrong)).isEqualTo("unseal_failed");

                // the CLI unseals a running server with a passphrase file
                Path file = data.resolve("passphrase");
                Files.writeString(file, PASSPHRASE + "\n");
                StringWriter out = new StringWriter();
                int rc = Main.commandLine().setOut(new PrintWriter(out)).execute("operator", "unseal",
                        "--url", gw.base().toString(), "--passphrase-file", file.toString(),
                        "--config", gw.dataDir.resolve("bastion.yaml").toString());
                assertThat(rc).as(out.toString()).isZero();
                assertThat(out.toString()).contains("\"state\":\"unsealed\"");
                // the key issued before the restart still works: its hashing key was kept behind the barrier
                assertThat(gw.chat(developer, CHAT).statusCode()).isEqualTo(200);
                assertThat(gw.send("POST", "/bastion/v1/operator/rotate", adminKey, null).body())
                        .contains("\"active_key_id\":2");
                assertThat(gw.send("POST", "/bastion/v1/operator/rewrap", adminKey, null).statusCode()).isEqualTo(200);
                assertThat(gw.chat(developer, CHAT).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void theDatabaseHoldsNoPlaintextServerSecret() throws Exception {
        try (var upstream = new StandInUpstream(); TestGateway gw = TestGateway.start(upstream)) {
            assertThat(gw.chat(gw.developerKey(), CHAT).statusCode()).isEqualTo(200);
            try (var c = java.sql.DriverManager.getConnection(gw.config.store().url());
                 var rs = c.createStatement().executeQuery("SELECT name FROM server_state")) {
                while (rs.next()) assertThat(rs.getString(1)).doesNotContain("hmac");
            }
        }
    }
}
