package dev.bastion.barrier;

import dev.bastion.store.StoreConfig;
import dev.bastion.testing.ManualClock;
import java.time.Instant;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static dev.bastion.barrier.BarrierCiphertextTest.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

/** Rotation adds keys without breaking old data; replicas pick up new keys; the re-wrap job moves data forward. */
class KeyringRotationTest {

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void rotationKeepsOldDataReadableAndEncryptsWithTheNewKey(StoreConfig.Kind kind) {
        try (var h = TestStores.open(kind)) {
            Barrier b = BarrierFixtures.initialised(h.db().dataSource());
            byte[] old = b.encrypt("vault/c/1", bytes("before rotation"));
            assertThat(b.rotate()).isEqualTo(2);
            byte[] fresh = b.encrypt("vault/c/2", bytes("after rotation"));
            assertThat(Barrier.keyIdOf(old)).isEqualTo(1);
            assertThat(Barrier.keyIdOf(fresh)).isEqualTo(2);
            assertThat(b.decrypt("vault/c/1", old)).isEqualTo(bytes("before rotation"));

            // a restart (seal + unseal) loads the whole keyring back
            b.seal();
            b.unseal(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE));
            assertThat(b.status().keyIds()).containsExactly(1, 2);
            assertThat(b.activeKeyId()).isEqualTo(2);
            assertThat(b.decrypt("vault/c/1", old)).isEqualTo(bytes("before rotation"));
            assertThat(b.decrypt("vault/c/2", fresh)).isEqualTo(bytes("after rotation"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aReplicaReadsDataUnderAKeyAnotherReplicaAddedAndRotationsDoNotCollide(StoreConfig.Kind kind) {
        try (var h = TestStores.open(kind)) {
            var clock = new ManualClock(Instant.ofEpochMilli(1_700_000_000_000L));
            Barrier a = BarrierFixtures.barrier(h.db().dataSource(), clock);
            a.initialize(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE));
            Barrier b = BarrierFixtures.barrier(h.db().dataSource(), clock);
            b.unseal(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE));

            assertThat(a.rotate()).isEqualTo(2);
            byte[] ct = a.encrypt("vault/x/1", bytes("from replica a"));
            clock.advance(java.time.Duration.ofMillis(2_000));
            assertThat(b.decrypt("vault/x/1", ct)).isEqualTo(bytes("from replica a")); // unknown id → reload
            assertThat(b.rotate()).isEqualTo(3); // b knows 2 now, so it takes 3
            assertThat(a.rotate()).isEqualTo(4);  // a had not seen 3: it reloads and takes the next id
            assertThat(a.status().keyIds()).containsExactly(1, 2, 3, 4);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aForgedKeyIdFailsAsUnknownKey(StoreConfig.Kind kind) {
        try (var h = TestStores.open(kind)) {
            Barrier b = BarrierFixtures.initialised(h.db().dataSource());
            byte[] ct = b.encrypt("p/1", bytes("x"));
            Envelope.putInt(ct, 1, 77);
            assertKind(() -> b.decrypt("p/1", ct), BarrierException.Kind.UNKNOWN_KEY);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void theRewrapJobMovesEveryRowToTheNewestKeyAndResumesWhereItStopped(StoreConfig.Kind kind) throws SQLException {
        try (var h = TestStores.open(kind)) {
            Barrier b = BarrierFixtures.initialised(h.db().dataSource());
            exec(h, "CREATE TABLE test_vault (id BIGINT PRIMARY KEY, value " + (h.db().isPostgres() ? "BYTEA" : "BLOB") + ")");
            for (long i = 1; i <= 25; i++) insert(h, i, b.encrypt(path(i), bytes("value " + i)));
            insert(h, 26, null); // empty rows are skipped
            b.rotate();
            // a subject value and a secret: the subject key itself and the secret are re-wrapped via their tables
            byte[] subjectCt = b.forSubject("subject-9").encrypt("vault/s/1", bytes("subject data"));
            SecretStore secrets = new SecretStore(BarrierStore.over(h.db().dataSource(), b, Clock.systemUTC()));
            b.seal();
            b.unseal(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE));
            secrets.put("apikeys/hmac", SecretBytes.copyOf(bytes("hmac key material...")));
            int newest = b.rotate();

            Rewrapper job = new Rewrapper(b, h.db().dataSource(), Clock.systemUTC());
            var target = new Rewrapper.Target("test_vault", "test_vault", "id", "value", id -> path(((Number) id).longValue()));
            Rewrapper.Result first = job.run(target, 4, 10);   // stops after 10 rows
            assertThat(first.complete()).isFalse();
            assertThat(keyIds(h)).filteredOn(id -> id == newest).hasSize(10);
            Rewrapper.Result rest = job.run(target, 4, Long.MAX_VALUE);  // resumes at row 11
            assertThat(rest.complete()).isTrue();
            assertThat(rest.scanned()).isEqualTo(16);
            assertThat(first.rewrapped() + rest.rewrapped()).isEqualTo(25);
            assertThat(keyIds(h)).hasSize(25).containsOnly((long) newest);
            for (long i = 1; i <= 25; i++) assertThat(b.decrypt(path(i), value(h, i))).isEqualTo(bytes("value " + i));

            // idempotent: a second full run finds nothing to do
            assertThat(job.run(target, 100, Long.MAX_VALUE).rewrapped()).isZero();

            assertThat(job.run(Rewrapper.SUBJECT_KEYS, 10, Long.MAX_VALUE).rewrapped()).isEqualTo(1);
            assertThat(job.run(Rewrapper.RECORDS, 10, Long.MAX_VALUE).rewrapped()).isEqualTo(1);
            b.seal();
            b.unseal(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE));
            assertThat(b.decrypt("vault/s/1", subjectCt)).isEqualTo(bytes("subject data"));
            assertThat(secrets.get("apikeys/hmac").orElseThrow().copy()).isEqualTo(bytes("hmac key material..."));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void theRewrapJobCountsTamperedRowsAndLeavesThemAlone(StoreConfig.Kind kind) throws SQLException {
        try (var h = TestStores.open(kind)) {
            Barrier b = BarrierFixtures.initialised(h.db().dataSource());
            exec(h, "CREATE TABLE test_vault (id BIGINT PRIMARY KEY, value " + (h.db().isPostgres() ? "BYTEA" : "BLOB") + ")");
            insert(h, 1, b.encrypt(path(1), bytes("fine")));
            byte[] bad = b.encrypt(path(2), bytes("will be tampered"));
            bad[bad.length - 1] ^= 1;
            insert(h, 2, bad);
            b.rotate();
            var r = new Rewrapper(b, h.db().dataSource(), Clock.systemUTC()).run(
                    new Rewrapper.Target("t", "test_vault", "id", "value", id -> path(((Number) id).longValue())), 10, Long.MAX_VALUE);
            assertThat(r.rewrapped()).isEqualTo(1);
            assertThat(r.failed()).isEqualTo(1);
            assertThat(value(h, 2)).isEqualTo(bad);
        }
    }

    static String path(long i) { return "vault/conv/" + i; }

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static void exec(TestStores.Handle h, String sql) throws SQLException {
        try (Connection c = h.db().connection(); var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static void insert(TestStores.Handle h, long id, byte[] value) throws SQLException {
        try (Connection c = h.db().connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO test_vault (id, value) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setBytes(2, value);
            ps.executeUpdate();
        }
    }

    static byte[] value(TestStores.Handle h, long id) throws SQLException {
        try (Connection c = h.db().connection(); PreparedStatement ps = c.prepareStatement("SELECT value FROM test_vault WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    static List<Long> keyIds(TestStores.Handle h) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = h.db().connection(); ResultSet rs = c.createStatement().executeQuery("SELECT value FROM test_vault WHERE value IS NOT NULL")) {
            while (rs.next()) ids.add(Barrier.keyIdOf(rs.getBytes(1)));
        }
        return ids;
    }
}
