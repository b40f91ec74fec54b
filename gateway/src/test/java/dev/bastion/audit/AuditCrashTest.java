package dev.bastion.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.cli.Main;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.ServerProcess;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bastion killed with SIGKILL while concurrent clients keep it busy, then restarted on the same SQLite data: every
 * request that received an answer has its accept entry at the index its answer named, with its request id; every
 * stored entry is whole; the restarted server integrates everything and the log verifies (over HTTP and with
 * {@code bastion audit export} + {@code verify}).
 */
class AuditCrashTest {
    private static final Duration START = Duration.ofSeconds(30);

    @Test
    void everyAnsweredRequestKeepsItsAcceptEntryThroughSigkillAndTheLogVerifiesAfterRestart() throws Exception {
        Path dir = Files.createTempDirectory("bastion-crash");
        try (var upstream = new StandInUpstream()) {
            Path config = dir.resolve("bastion.yaml");
            Files.writeString(config, """
                    server: {port: 0, read-timeout: 5s, shutdown-grace: 1s}
                    data-dir: %s
                    """.formatted(dir.resolve("data")) + ServerAccess.backendYaml(upstream));
            StoreConfig store = StoreConfig.sqlite(dir.resolve("data").resolve("bastion.db"));

            String modelKey;
            String auditKey;
            String vkey;
            List<ServerLoad.Answered> before;
            int upstreamBefore;
            int unanswered;
            try (var first = ServerProcess.start(config, START)) {
                modelKey = ServerAccess.modelKey(first.base(), first.adminKey());
                auditKey = ServerAccess.auditReadKey(config);
                vkey = first.auditVerifierKey();
                try (var load = new ServerLoad(Map.of("first", first.base()), modelKey, 16)) {
                    // kill it mid-load: clients are waiting on answers and appends are in flight
                    Await.until(Duration.ofSeconds(20), () -> load.answeredOk() >= 300);
                    first.kill();
                    load.close();
                    before = List.copyOf(load.answered);
                    unanswered = load.unanswered.get();
                    assertThat(load.unanswered.get()).as("requests cut off by the kill").isPositive();
                }
                upstreamBefore = upstream.requestCount();
            }
            assertThat(before).allMatch(a -> a.status() == 200, "every answer before the kill was a success");
            Set<Long> indexes = new HashSet<>();
            for (var a : before) assertThat(indexes.add(a.auditIndex())).as("distinct index %d", a.auditIndex()).isTrue();
            // an answer implies an accept entry, which implies a backend call; never a backend call without one
            StoredLedger crashed = StoredLedger.read(store);
            assertThat((long) upstreamBefore).isLessThanOrEqualTo(crashed.count("bastion.audit.request/v1"));
            crashed.assertWholeAndContiguous();
            System.out.printf("answered %d, cut off %d, stored %d entries, backend calls %d, integrated %d%n",
                    before.size(), unanswered, crashed.nextIndex(), upstreamBefore, crashed.treeSize());

            try (var second = ServerProcess.start(config, START)) {
                assertThat(second.auditVerifierKey()).as("same log identity after the crash").isEqualTo(vkey);
                HttpResponse<String> after = chat(second.base(), modelKey);
                assertThat(after.statusCode()).isEqualTo(200);
                long afterIndex = Long.parseLong(after.headers().firstValue("X-Bastion-Audit-Index").orElseThrow());
                // the log continues where the crash left it: the restart's egress manifest, then this request
                assertThat(afterIndex).as("the log continues where the crash left it").isEqualTo(crashed.nextIndex() + 1);

                // the restarted server integrates what the crashed one stored but never signed, and the new entries
                Await.until(Duration.ofSeconds(10), () -> {
                    StoredLedger s = StoredLedger.read(store);
                    return s.nextIndex() >= afterIndex + 2 && s.integrated();
                });
                StoredLedger recovered = StoredLedger.read(store);
                recovered.assertWholeAndContiguous();
                assertThat(recovered.entry(crashed.nextIndex()).path("kind").asText()).isEqualTo("bastion.audit.egress/v1");
                for (var a : before) {
                    JsonNode e = recovered.entry(a.auditIndex());
                    assertThat(e.path("kind").asText()).isEqualTo("bastion.audit.request/v1");
                    assertThat(e.path("request_id").asText()).isEqualTo(a.requestId());
                }

                var overHttp = LogVerifier.forKey(vkey).verify(
                        LogSource.http(URI.create(second.base() + "/bastion/v1/audit/"), auditKey));
                assertThat(overHttp).isInstanceOf(VerificationResult.Verified.class);
                assertThat(((VerificationResult.Verified) overHttp).checkpoint().size())
                        .isGreaterThanOrEqualTo(recovered.nextIndex());

                Path export = dir.resolve("export");
                assertThat(cli("audit", "export", export.toString(), "--data-dir", dir.resolve("data").toString()))
                        .isEqualTo("0");
                assertThat(cli("audit", "verify", export.toString(), "--key", vkey)).isEqualTo("0");
            }
        } finally {
            TestFiles.deleteTree(dir);
        }
    }

    static HttpResponse<String> chat(URI base, String key) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ServerLoad.BODY)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Runs a {@code bastion} command in this JVM; returns its exit code, with its output when it is not 0. */
    static String cli(String... args) {
        StringWriter out = new StringWriter();
        var cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(out, true));
        int code = cmd.execute(args);
        return code == 0 ? "0" : code + ": " + out;
    }
}
