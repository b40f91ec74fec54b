package dev.bastion.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.testing.ServerProcess;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestFiles;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Bastion server processes on one PostgreSQL database (sharing the barrier's root key) serve model requests at
 * the same time: their answers name distinct audit indexes, one process integrates, and the single log verifies
 * through either server with every accept entry present exactly once, where its answer said.
 */
class TwoServersOneLogTest {
    private static final Duration START = Duration.ofSeconds(30);

    @Test
    void twoServersOnOnePostgresDatabaseWriteOneVerifiableLog() throws Exception {
        Path dir = Files.createTempDirectory("bastion-two-servers");
        try (var upstream = new StandInUpstream(); var store = TestStores.postgres()) {
            Path a = config(dir, "a", store, upstream);
            Path b = config(dir, "b", store, upstream);
            // one after the other: two processes initialising a fresh store's barrier at the same moment race
            // (the loser exits; a barrier matter, reported), so the second starts on an initialised store
            try (var first = ServerProcess.start(a, START); var second = ServerProcess.start(b, START)) {
                String adminKey = first.adminKey();
                assertThat(adminKey).isNotNull();
                assertThat(second.adminKey()).as("the store was bootstrapped once").isNull();
                String modelKey = ServerAccess.modelKey(first.base(), adminKey);
                String auditKey = ServerAccess.auditReadKey(a);
                String vkey = first.auditVerifierKey();
                assertThat(second.auditVerifierKey()).as("one log, one signing key").isEqualTo(vkey);

                Map<String, URI> servers = new LinkedHashMap<>();
                servers.put("first", first.base());
                servers.put("second", second.base());
                List<ServerLoad.Answered> answered;
                try (var load = new ServerLoad(servers, modelKey, 8)) {
                    Await.until(Duration.ofSeconds(20), () -> load.answered.stream()
                            .filter(x -> x.server().equals("first")).count() >= 150
                            && load.answered.stream().filter(x -> x.server().equals("second")).count() >= 150);
                    assertThat(integratorSessions(store)).as("one integrator at a time").isEqualTo(1);
                    load.close();
                    answered = List.copyOf(load.answered);
                    assertThat(load.unanswered.get()).isZero();
                }
                assertThat(answered).allMatch(x -> x.status() == 200, "every request was answered");
                Set<Long> indexes = new HashSet<>();
                for (var x : answered) assertThat(indexes.add(x.auditIndex())).as("distinct index").isTrue();

                // both servers' complete entries are in, and the integrator has signed over all of them
                Await.until(Duration.ofSeconds(10), () -> {
                    StoredLedger s = StoredLedger.read(store.config());
                    return s.integrated() && s.count("bastion.audit.complete/v1") == answered.size();
                });
                StoredLedger log = StoredLedger.read(store.config());
                log.assertWholeAndContiguous();
                assertThat(log.count("bastion.audit.request/v1")).as("every accept entry once")
                        .isEqualTo(answered.size());
                Map<String, Long> acceptAt = new HashMap<>();
                for (long i = 0; i < log.nextIndex(); i++) {
                    JsonNode e = log.entry(i);
                    if (e.path("kind").asText().equals("bastion.audit.request/v1")) {
                        assertThat(acceptAt.put(e.path("request_id").asText(), i)).as("request id once").isNull();
                    }
                }
                for (var x : answered) assertThat(acceptAt.get(x.requestId())).isEqualTo(x.auditIndex());
                for (long i = 0; i < log.nextIndex(); i++) {
                    JsonNode e = log.entry(i);
                    if (e.path("kind").asText().equals("bastion.audit.complete/v1")) {
                        long accept = e.path("accept_index").asLong();
                        assertThat(log.entry(accept).path("request_id").asText())
                                .isEqualTo(e.path("request_id").asText());
                    }
                }

                for (var server : List.of(first, second)) {
                    var result = LogVerifier.forKey(vkey).verify(
                            LogSource.http(URI.create(server.base() + "/bastion/v1/audit/"), auditKey));
                    assertThat(result).isInstanceOf(VerificationResult.Verified.class);
                    var checkpoint = ((VerificationResult.Verified) result).checkpoint();
                    assertThat(checkpoint.size()).isEqualTo(log.nextIndex());
                    assertThat(checkpoint.origin()).isEqualTo("two-servers.test/audit");
                }
            }
        } finally {
            TestFiles.deleteTree(dir);
        }
    }

    /** Sessions of this database holding the integrator's advisory lock. */
    static long integratorSessions(TestStores.Handle store) throws Exception {
        try (var c = StoredLedger.connect(store.config());
             var ps = c.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                     + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                     + "AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = ?")) {
            ps.setLong(1, Integrator.LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Path config(Path dir, String name, TestStores.Handle store, StandInUpstream upstream)
            throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                server: {port: 0, read-timeout: 5s, shutdown-grace: 1s}
                data-dir: %s
                store: {type: postgres, url: "%s", user: "%s", password: "%s", pool-size: 8}
                barrier:
                  provider: insecure-file
                  insecure-file: {path: "%s"}
                audit: {origin: two-servers.test/audit}
                """.formatted(dir.resolve(name + "-data"), store.config().url(), store.config().user(),
                store.config().password().value(), dir.resolve("shared-root.key")) + ServerAccess.backendYaml(upstream));
        return file;
    }
}
