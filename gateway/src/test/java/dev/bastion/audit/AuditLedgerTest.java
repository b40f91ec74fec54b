package dev.bastion.audit;

import dev.bastion.testing.PlaintextSigningKeyStore;
import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.Hashes;
import dev.bastion.audit.tlog.NoteVerifier;
import dev.bastion.audit.tlog.Proofs;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.ManualClock;
import dev.bastion.testing.TestFiles;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledger on SQLite and PostgreSQL: durable contiguous appends, signed checkpoints, proofs, restart. */
class AuditLedgerTest {
    static final String ORIGIN = "bastion.test/audit";

    static AuditConfig manual() {
        return AuditConfig.defaults(ORIGIN).withIntegrate(false);
    }

    static Checkpoint verifiedCheckpoint(AuditLedger ledger) throws Exception {
        byte[] note = ledger.reader().checkpointNote().orElseThrow();
        return Checkpoint.parse(NoteVerifier.open(note, List.of(NoteVerifier.parse(ledger.verifierKey()))));
    }

    /** Size of the latest verified checkpoint, or -1 before the first. */
    static long publishedSize(AuditLedger ledger) throws Exception {
        return ledger.reader().checkpointNote().isEmpty() ? -1 : verifiedCheckpoint(ledger).size();
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void concurrentAppendsGetContiguousIndexesAndAreStoredWhenAppendReturns(StoreConfig.Kind kind) throws Exception {
        try (var store = TestStores.open(kind);
             var ledger = AuditLedger.open(store.db(), manual(), new PlaintextSigningKeyStore(store.db()),
                     Clock.systemUTC())) {
            Map<Long, String> byIndex = new ConcurrentHashMap<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < 64; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> {
                        for (int i = 0; i < 20; i++) {
                            String id = "w" + writer + "-" + i;
                            long index = ledger.append(AuditEntryTest.request(id));
                            // durable means readable by anyone the moment append returns
                            assertThat(ledger.reader().entry(index)).get()
                                    .isEqualTo(AuditEntryTest.request(id).toCanonicalJson());
                            byIndex.put(index, id);
                        }
                        return null;
                    }));
                }
                for (var f : writers) f.get();
            }
            assertThat(byIndex).hasSize(64 * 20);
            assertThat(new TreeSet<>(byIndex.keySet())).first().isEqualTo(0L);
            assertThat(new TreeSet<>(byIndex.keySet())).last().isEqualTo(64L * 20 - 1);
            AuditLedger.Stats stats = ledger.stats();
            assertThat(stats.appended()).isEqualTo(64L * 20);
            assertThat(stats.transactions()).as("64 concurrent writers share transactions").isLessThan(64L * 20 / 2);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void integratedLogVerifiesAndItsProofsCheckOut(StoreConfig.Kind kind) throws Exception {
        Path dir = Files.createTempDirectory("bastion-export");
        try (var store = TestStores.open(kind);
             var ledger = AuditLedger.open(store.db(), manual(), new PlaintextSigningKeyStore(store.db()),
                     Clock.systemUTC())) {
            List<byte[]> leaves = new ArrayList<>();
            Checkpoint first = null;
            for (int batch = 0; batch < 3; batch++) {
                List<Long> idx = appendMany(ledger, 300, "b" + batch);
                for (long i : idx) leaves.add(Hashes.leafHash(ledger.reader().entry(i).orElseThrow()));
                assertThat(ledger.integrateNow()).isTrue();
                if (first == null) first = verifiedCheckpoint(ledger);
            }
            Checkpoint cp = verifiedCheckpoint(ledger);
            assertThat(cp.size()).isEqualTo(900);
            assertThat(cp.origin()).isEqualTo(ORIGIN);
            assertThat(cp.root()).isEqualTo(dev.bastion.audit.tlog.Merkle.root(leaves));

            LogVerifier verifier = LogVerifier.forKey(ledger.verifierKey());
            assertThat(verifier.verify(LogSource.of(ledger.reader()))).isInstanceOf(VerificationResult.Verified.class);
            // export writes exactly what the read API serves, and the export verifies on its own
            LogExporter.export(ledger.reader(), dir);
            for (var p : LogExporter.paths(900)) {
                assertThat(Files.readAllBytes(dir.resolve(p.path())))
                        .isEqualTo(ledger.reader().read(p.path()).orElseThrow().body());
            }
            assertThat(verifier.verify(LogSource.directory(dir),
                    ledger.reader().checkpointNote().orElseThrow()).ok()).isTrue();

            Random r = new Random(7);
            for (int k = 0; k < 40; k++) {
                long size = 1 + r.nextInt(900);
                long index = r.nextInt((int) size);
                byte[] rootAtSize = dev.bastion.audit.tlog.Merkle.root(leaves.subList(0, (int) size));
                Proofs.verifyInclusion(index, size, leaves.get((int) index),
                        ledger.reader().inclusionProof(index, size), rootAtSize);
                long size1 = 1 + r.nextInt((int) size);
                Proofs.verifyConsistency(size1, size, ledger.reader().consistencyProof(size1, size),
                        dev.bastion.audit.tlog.Merkle.root(leaves.subList(0, (int) size1)), rootAtSize);
            }
            Proofs.verifyConsistency(first.size(), cp.size(), ledger.reader().consistencyProof(first.size(), cp.size()),
                    first.root(), cp.root());
            assertThat(ledger.reader().read("tile/0/003.p/132")).isPresent();
            assertThat(ledger.reader().read("tile/0/003.p/132").get().contentType())
                    .isEqualTo("application/octet-stream");
            assertThat(ledger.reader().read("tile/0/003.p/133")).isEmpty(); // beyond the checkpoint
            assertThat(ledger.reader().read("tile/entries/004")).isEmpty();
            assertThat(ledger.reader().read("../server_state")).isEmpty();
        } finally {
            TestFiles.deleteTree(dir);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void checkpointsFollowAppendsWithinTheIntervalAndSurviveARestart(StoreConfig.Kind kind) throws Exception {
        try (var store = TestStores.open(kind)) {
            AuditConfig config = AuditConfig.defaults(ORIGIN);
            String key;
            try (var ledger = AuditLedger.open(store.db(), config, new PlaintextSigningKeyStore(store.db()),
                    Clock.systemUTC())) {
                key = ledger.verifierKey();
                appendMany(ledger, 50, "a");
                long start = System.nanoTime();
                Await.until(Duration.ofSeconds(5), () -> publishedSize(ledger) == 50);
                // published within one interval plus one round, not "eventually"
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
                appendMany(ledger, 10, "b");
            }
            try (var reopened = AuditLedger.open(store.db(), config, new PlaintextSigningKeyStore(store.db()),
                    Clock.systemUTC())) {
                assertThat(reopened.verifierKey()).isEqualTo(key); // the key was persisted, not regenerated
                Await.until(Duration.ofSeconds(5), () -> publishedSize(reopened) == 60);
                assertThat(reopened.append(AuditEntryTest.request("after-restart"))).isEqualTo(60);
                reopened.integrateNow();
                assertThat(LogVerifier.forKey(key).verify(LogSource.of(reopened.reader())).ok()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void unauthenticatedFloodsAreCountedNotDropped(StoreConfig.Kind kind) throws Exception {
        ManualClock clock = new ManualClock(AuditEntryTest.T);
        AuditConfig config = manual().withRefusals(Duration.ofSeconds(10), 3);
        try (var store = TestStores.open(kind);
             var ledger = AuditLedger.open(store.db(), config, new PlaintextSigningKeyStore(store.db()), clock)) {
            List<Long> individual = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                var refused = RefusedEntry.of("r" + i, clock.instant(), null, i < 8 ? "198.51.100.9" : "203.0.113.1",
                        "model.invoke", null, 401, i % 2 == 0 ? "missing_credentials" : "invalid_api_key", null, Map.of());
                individual.add(ledger.refused(refused));
            }
            long authenticated = ledger.refused(RefusedEntry.of("r-auth", clock.instant(), AuditEntryTest.ALICE,
                    "198.51.100.9", "model.invoke", ModelRoute.alias("m"), 403, "model_not_allowed", null, Map.of()));
            assertThat(individual.subList(0, 3)).doesNotContain(-1L);
            assertThat(individual.subList(3, 10)).containsOnly(-1L);
            assertThat(authenticated).isNotNegative(); // authenticated refusals are always recorded one by one

            ledger.flushRefusals(false);
            assertThat(ledger.reader().entry(4)).isEmpty(); // window not over yet
            clock.advance(Duration.ofSeconds(11));
            ledger.flushRefusals(false);
            var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ledger.reader().entry(4).orElseThrow());
            assertThat(summary.get("kind").asText()).isEqualTo(RefusalWindowEntry.KIND);
            assertThat(summary.get("count").asLong()).isEqualTo(7);
            assertThat(summary.get("by_client").get("198.51.100.9").asLong()).isEqualTo(5);
            assertThat(summary.get("by_client").get("203.0.113.1").asLong()).isEqualTo(2);
            assertThat(summary.get("by_code").get("missing_credentials").asLong()
                    + summary.get("by_code").get("invalid_api_key").asLong()).isEqualTo(7);
        }
    }

    static List<Long> appendMany(AuditLedger ledger, int n, String prefix) throws Exception {
        List<Long> out = Collections.synchronizedList(new ArrayList<>());
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = prefix + "-" + i;
                fs.add(pool.submit(() -> out.add(ledger.append(AuditEntryTest.request(id)))));
            }
            for (var f : fs) f.get();
        }
        List<Long> sorted = new ArrayList<>(out);
        Collections.sort(sorted);
        Set<Long> unique = new TreeSet<>(sorted);
        assertThat(unique).hasSize(n);
        return sorted;
    }
}
