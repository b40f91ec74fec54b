package dev.bastion.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.cli.Main;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.ManualClock;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holes 2 and 3 of issue 13: the operator's doors that take no API key. Init needs a credential only the machine's
 * operator has (the one-time token in the data directory), so a local user, an SSRF or a same-host proxy cannot take
 * the server over; unseal on an unsealed server is refused; every attempt is rate-limited and audited truthfully.
 */
class OperatorDoorsTest {
    static final String PASSPHRASE = "correct horse battery staple";
    static final String MINE = "the attacker's own passphrase";

    private static String yaml(StandInUpstream upstream, Path data) {
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

    /** The operator door's own record (the refusal audit also records refused attempts, as refused/v1). */
    private static boolean admin(JsonNode e, String action) {
        return e.path("kind").asText().equals("bastion.audit.admin/v1") && e.path("action").asText().equals(action);
    }

    private static HttpResponse<String> post(TestGateway gw, String path, String body) throws Exception {
        return gw.send("POST", path, null, body);
    }

    private static String operatorInit(TestGateway gw) {
        Path pass = gw.dataDir.resolve("pass");
        try {
            Files.writeString(pass, PASSPHRASE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("operator",
                "init", "--url", gw.base().toString(), "--passphrase-file", pass.toString(),
                "--config", gw.configFile().toString());
        assertThat(rc).as(out + " " + err).isZero();
        return out.toString();
    }

    @Test
    void aCallerOnLoopbackWithoutTheInitTokenCannotTakeTheServerOver() throws Exception {
        Path data = Files.createTempDirectory("bastion-doors");
        try (var upstream = new StandInUpstream(); TestGateway gw = TestGateway.startYaml(yaml(upstream, data.resolve("d")))) {
            Path token = data.resolve("d").resolve("init-token");
            assertThat(token).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");

            for (String body : List.of("{\"passphrase\":\"" + MINE + "\"}",
                    "{\"passphrase\":\"" + MINE + "\",\"init_token\":\"bit_guess\"}",
                    "{\"passphrase\":\"" + MINE + "\",\"init_token\":\"\"}",
                    "{\"passphrase\":\"" + MINE + "\",\"init_token\":null}")) {
                HttpResponse<String> r = post(gw, "/bastion/v1/operator/init", body);
                assertThat(r.statusCode()).as(body).isEqualTo(403);
                assertThat(TestGateway.errorCode(r)).isEqualTo("invalid_init_token");
                assertThat(r.body()).doesNotContain("bst_");
            }
            assertThat(gw.send("GET", "/bastion/v1/operator/status", null, null).body()).contains("uninitialized");

            String answer = operatorInit(gw);
            assertThat(answer).contains("\"admin_key\":\"bst_");
            assertThat(token).as("the token is spent").doesNotExist();

            List<JsonNode> log = AuditLogEntries.of(gw);
            List<JsonNode> inits = log.stream().filter(e -> admin(e, "barrier.init")).toList();
            assertThat(inits).extracting(e -> e.path("outcome").asText())
                    .containsExactly("failed", "failed", "failed", "failed", "succeeded");
            assertThat(inits.getFirst().path("principal").path("id").asText()).isEqualTo("unauthenticated");
            assertThat(inits.getLast().path("principal").path("id").asText()).isEqualTo("operator:init-token");
        }
    }

    @Test
    void unsealOnAnUnsealedServerIsRefusedAndRecordedAsRefusedNeverAsSucceeded() throws Exception {
        Path data = Files.createTempDirectory("bastion-doors");
        try (var upstream = new StandInUpstream(); TestGateway gw = TestGateway.startYaml(yaml(upstream, data.resolve("d")))) {
            operatorInit(gw);
            for (String pass : List.of("a wrong passphrase!!", PASSPHRASE)) {
                HttpResponse<String> r = post(gw, "/bastion/v1/operator/unseal", "{\"passphrase\":\"" + pass + "\"}");
                assertThat(r.statusCode()).isEqualTo(409);
                assertThat(TestGateway.errorCode(r)).isEqualTo("invalid_state");
            }
            List<JsonNode> unseals = AuditLogEntries.of(gw).stream()
                    .filter(e -> admin(e, "barrier.unseal")).toList();
            assertThat(unseals).hasSize(2).allSatisfy(e -> {
                assertThat(e.path("outcome").asText()).isEqualTo("refused");
                assertThat(e.path("principal").path("id").asText()).isEqualTo("unauthenticated");
                assertThat(e.path("target").asText()).isEqualTo("error:invalid_state");
            });
        }
    }

    @Test
    void failedUnsealsWhileSealedReachTheLogWhenItOpens() throws Exception {
        Path data = Files.createTempDirectory("bastion-doors");
        try (var upstream = new StandInUpstream(); TestGateway gw = TestGateway.startYaml(yaml(upstream, data.resolve("d")))) {
            String admin = TestGateway.json(operatorInit(gw)).path("admin_key").asText();
            assertThat(gw.send("POST", "/bastion/v1/operator/seal", admin, null).statusCode()).isEqualTo(200);
            HttpResponse<String> wrong = post(gw, "/bastion/v1/operator/unseal", "{\"passphrase\":\"not it, not it\"}");
            assertThat(TestGateway.errorCode(wrong)).isEqualTo("unseal_failed");
            assertThat(post(gw, "/bastion/v1/operator/unseal", "{\"passphrase\":\"" + PASSPHRASE + "\"}").statusCode())
                    .isEqualTo(200);
            List<JsonNode> unseals = AuditLogEntries.of(gw).stream()
                    .filter(e -> admin(e, "barrier.unseal")).toList();
            assertThat(unseals).extracting(e -> e.path("outcome").asText()).containsExactly("failed", "succeeded");
            assertThat(unseals.getFirst().path("target").asText()).isEqualTo("error:unseal_failed");
        }
    }

    @Test
    void attemptsAreRateLimitedAndTheThrottledOnesAreCounted() throws Exception {
        Path data = Files.createTempDirectory("bastion-doors");
        ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
        try (var upstream = new StandInUpstream();
             TestGateway gw = TestGateway.startYaml(yaml(upstream, data.resolve("d")), clock)) {
            String body = "{\"passphrase\":\"guess number one\"}";
            for (int i = 0; i < 5; i++) {
                assertThat(TestGateway.errorCode(post(gw, "/bastion/v1/operator/unseal", body))).isEqualTo("invalid_state");
            }
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = post(gw, "/bastion/v1/operator/unseal", body);
                assertThat(r.statusCode()).isEqualTo(429);
                assertThat(TestGateway.errorCode(r)).isEqualTo("too_many_attempts");
            }
            clock.advance(Duration.ofSeconds(10));
            assertThat(post(gw, "/bastion/v1/operator/unseal", body).statusCode()).isEqualTo(409);
            clock.advance(Duration.ofSeconds(10));
            operatorInit(gw); // the real operator gets through once the budget refills; the log opens
            List<JsonNode> log = AuditLogEntries.of(gw);
            assertThat(log).anySatisfy(e -> {
                assertThat(e.path("action").asText()).isEqualTo("barrier.unseal");
                assertThat(e.path("outcome").asText()).isEqualTo("throttled");
                assertThat(e.path("target").asText()).isEqualTo("attempts:3");
            });
        }
    }
}
