package dev.bastion.audit;

import dev.bastion.server.BastionServer;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestFiles;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The running server when its audit storage fails: model requests are refused with 503 {@code audit_unavailable}
 * and the backend receives nothing; once storage is back requests succeed again and the log has no gap and no
 * entry for a refused request. A store without usable audit storage keeps the server from starting at all.
 */
class AuditOutageTest {
    static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String STREAM = "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void whileTheLedgerCannotBeWrittenNoRequestReachesTheBackendAndServiceResumesAfter(StoreConfig.Kind kind)
            throws Exception {
        try (var store = TestStores.open(kind); var upstream = new StandInUpstream();
             var gw = TestGateway.start(upstream, storeYaml(store.config()))) {
            String modelKey = ServerAccess.modelKey(gw.base(), gw.adminKey);
            HttpResponse<String> ok = gw.chat(modelKey, CHAT);
            assertThat(ok.statusCode()).isEqualTo(200);
            int forwarded = upstream.requestCount();

            // the ledger's table disappears under the running server (an operator's mistake, a broken migration)
            sql(store.config(), "ALTER TABLE audit_entries RENAME TO audit_entries_away");
            for (String body : new String[] {CHAT, STREAM, CHAT}) {
                HttpResponse<String> refused = gw.chat(modelKey, body);
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(TestGateway.errorCode(refused)).isEqualTo("audit_unavailable");
                assertThat(refused.headers().firstValue("X-Bastion-Audit-Index")).isEmpty();
            }
            assertThat(upstream.requestCount()).as("the backend received nothing").isEqualTo(forwarded);
            String metrics = gw.send("GET", "/metrics", null, null).body();
            assertThat(metrics).contains("bastion_audit_append_seconds_count{outcome=\"stored\"} 1\n")
                    .contains("bastion_audit_append_seconds_count{outcome=\"unavailable\"} 3\n")
                    .contains("bastion_audit_append_seconds_bucket{outcome=\"stored\",le=");

            sql(store.config(), "ALTER TABLE audit_entries_away RENAME TO audit_entries");
            HttpResponse<String> again = gw.chat(modelKey, CHAT);
            assertThat(again.statusCode()).as("service resumes once storage is back").isEqualTo(200);
            assertThat(upstream.requestCount()).isEqualTo(forwarded + 1);

            long index = Long.parseLong(again.headers().firstValue("X-Bastion-Audit-Index").orElseThrow());
            Await.until(Duration.ofSeconds(10), () -> {
                StoredLedger s = StoredLedger.read(store.config());
                return s.nextIndex() > index + 1 && s.integrated();
            });
            StoredLedger log = StoredLedger.read(store.config());
            log.assertWholeAndContiguous();
            assertThat(log.count("bastion.audit.request/v1")).as("accept entries only for forwarded requests")
                    .isEqualTo(2);
            var verified = LogVerifier.forKey(gw.auditVerifierKey())
                    .verify(LogSource.http(URI.create(gw.base() + "/bastion/v1/audit/"),
                            gw.auditorKey()));
            assertThat(verified).isInstanceOf(VerificationResult.Verified.class);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aStalledLedgerRefusesRequestsWithinTheAppendTimeoutAndTheLogSaysWhatHappened(StoreConfig.Kind kind)
            throws Exception {
        try (var store = TestStores.open(kind); var upstream = new StandInUpstream();
             var gw = TestGateway.start(upstream, storeYaml(store.config()) + "audit: {append-timeout: 400ms}\n")) {
            String modelKey = ServerAccess.modelKey(gw.base(), gw.adminKey);
            assertThat(gw.chat(modelKey, CHAT).statusCode()).isEqualTo(200);
            int forwarded = upstream.requestCount();
            try (Connection blocker = StoredLedger.connect(store.config()); Statement s = blocker.createStatement()) {
                // another transaction holds the ledger's lock: the database stalls rather than fails
                if (kind == StoreConfig.Kind.SQLITE) {
                    s.execute("BEGIN IMMEDIATE");
                } else {
                    blocker.setAutoCommit(false);
                    s.execute("LOCK TABLE audit_sequence IN EXCLUSIVE MODE");
                }
                long start = System.nanoTime();
                try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                    var answers = new java.util.ArrayList<java.util.concurrent.Future<HttpResponse<String>>>();
                    for (int i = 0; i < 4; i++) answers.add(pool.submit(() -> gw.chat(modelKey, CHAT)));
                    for (var a : answers) {
                        assertThat(a.get().statusCode()).isEqualTo(503);
                        assertThat(TestGateway.errorCode(a.get())).isEqualTo("audit_unavailable");
                    }
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused, not hung")
                        .isLessThan(Duration.ofSeconds(4));
                assertThat(upstream.requestCount()).as("the backend received nothing").isEqualTo(forwarded);
                s.execute("COMMIT");
            }
            HttpResponse<String> again = gw.chat(modelKey, CHAT);
            assertThat(again.statusCode()).isEqualTo(200);
            long index = Long.parseLong(again.headers().firstValue("X-Bastion-Audit-Index").orElseThrow());

            Await.until(Duration.ofSeconds(10), () -> {
                StoredLedger l = StoredLedger.read(store.config());
                return l.count("bastion.audit.complete/v1") == l.count("bastion.audit.request/v1")
                        && l.nextIndex() > index + 1 && l.integrated();
            });
            // every accept entry has its outcome: the two forwarded requests succeeded, any accept entry that the
            // stalled transaction stored after all says the request was refused
            StoredLedger log = StoredLedger.read(store.config());
            log.assertWholeAndContiguous();
            int ok = 0;
            for (long i = 0; i < log.nextIndex(); i++) {
                var e = log.entry(i);
                if (!e.path("kind").asText().equals("bastion.audit.complete/v1")) continue;
                if (e.path("status").asInt() == 200) {
                    ok++;
                } else {
                    assertThat(e.path("status").asInt()).isEqualTo(503);
                    assertThat(e.path("error_code").asText()).isEqualTo("audit_unavailable");
                }
            }
            assertThat(ok).isEqualTo(2);
            assertThat(LogVerifier.forKey(gw.auditVerifierKey())
                    .verify(LogSource.http(URI.create(gw.base() + "/bastion/v1/audit/"),
                            gw.auditorKey())))
                    .isInstanceOf(VerificationResult.Verified.class);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void theServerRefusesToStartWithoutUsableAuditStorage(StoreConfig.Kind kind) throws Exception {
        Path dir = Files.createTempDirectory("bastion-no-audit");
        try (var store = TestStores.open(kind)) {
            sql(store.config(), "DROP TABLE audit_tree");
            Path file = dir.resolve("bastion.yaml");
            Files.writeString(file, "server: {port: 0}\ndata-dir: " + dir.resolve("data") + "\n"
                    + storeYaml(store.config()));
            var config = dev.bastion.config.ConfigLoader.load(file, java.util.Map.of());
            long feedsBefore = changeFeedThreads();
            assertThatThrownBy(() -> BastionServer.start(config, Clock.systemUTC(),
                    new PrintStream(OutputStream.nullOutputStream())).close())
                    .hasMessageContaining("audit storage is not usable");
            // the failed start closed what it had opened: no change feed left polling a store that goes away
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> changeFeedThreads() <= feedsBefore);
        } finally {
            TestFiles.deleteTree(dir);
        }
    }

    private static long changeFeedThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("bastion-change-feed")).count();
    }

    static void sql(StoreConfig store, String statement) throws Exception {
        try (Connection c = StoredLedger.connect(store); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    static String storeYaml(StoreConfig store) {
        if (store.kind() == StoreConfig.Kind.SQLITE) {
            return "store: {type: sqlite, file: \"" + store.url().substring("jdbc:sqlite:".length()) + "\"}\n";
        }
        return "store: {type: postgres, url: \"%s\", user: \"%s\", password: \"%s\", pool-size: 8}\n"
                .formatted(store.url(), store.user(), store.password().value());
    }
}
