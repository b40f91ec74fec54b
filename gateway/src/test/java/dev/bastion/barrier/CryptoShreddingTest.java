package dev.bastion.barrier;

import dev.bastion.store.StoreConfig;
import dev.bastion.testing.ManualClock;
import java.time.Instant;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static dev.bastion.barrier.BarrierCiphertextTest.assertKind;
import static dev.bastion.barrier.KeyringRotationTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/** Destroying one data subject's key erases exactly their values; a log of hashes and ids still verifies. */
class CryptoShreddingTest {

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void shreddingASubjectMakesAllTheirValuesUnreadableAndNobodyElses(StoreConfig.Kind kind) throws Exception {
        try (var h = TestStores.open(kind)) {
            Barrier b = BarrierFixtures.initialised(h.db().dataSource());
            RecordCipher alice = b.forSubject("subj-alice");
            RecordCipher bob = b.forSubject("subj-bob");
            byte[] a1 = alice.encrypt("vault/c1/1", bytes("alice's address"));
            byte[] a2 = alice.encrypt("vault/c2/1", new byte[200_000]); // chunked too
            byte[] b1 = bob.encrypt("vault/c1/2", bytes("bob's phone"));
            byte[] shared = b.encrypt("vault/c1/3", bytes("not about a subject"));

            // a toy append-only log that, like the audit ledger, holds only ids and hashes
            List<byte[]> log = new ArrayList<>();
            for (byte[] ct : List.of(a1, a2, b1, shared)) log.add(sha256(("subject-ref:" + HexFormat.of().formatHex(sha256(ct))).getBytes()));
            byte[] rootBefore = chain(log);

            assertThat(b.shredSubject("subj-alice")).isTrue();
            assertKind(() -> b.decrypt("vault/c1/1", a1), BarrierException.Kind.SHREDDED);
            assertKind(() -> alice.decrypt("vault/c2/1", a2), BarrierException.Kind.SHREDDED);
            assertThat(bob.decrypt("vault/c1/2", b1)).isEqualTo(bytes("bob's phone"));
            assertThat(b.decrypt("vault/c1/3", shared)).isEqualTo(bytes("not about a subject"));
            assertThat(chain(log)).isEqualTo(rootBefore); // the log is untouched and still verifies

            // after a restart the key is still gone (it is not only forgotten in memory)
            b.seal();
            b.unseal(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE));
            assertKind(() -> b.decrypt("vault/c1/1", a1), BarrierException.Kind.SHREDDED);
            try (var c = h.db().connection(); var rs = c.createStatement().executeQuery(
                    "SELECT COUNT(*) FROM barrier_subject_keys WHERE wrapped IS NULL AND shredded_at IS NOT NULL")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }

            // the subject may come back: new data gets a new key, the old stays shredded
            byte[] a3 = alice.encrypt("vault/c3/1", bytes("new data"));
            assertThat(alice.decrypt("vault/c3/1", a3)).isEqualTo(bytes("new data"));
            assertKind(() -> b.decrypt("vault/c1/1", a1), BarrierException.Kind.SHREDDED);
            assertThat(b.shredSubject("subj-nobody")).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void anotherReplicaStopsReadingAShreddedSubjectWithinTheCacheTtl(StoreConfig.Kind kind) {
        try (var h = TestStores.open(kind)) {
            var clock = new ManualClock(Instant.ofEpochMilli(1_700_000_000_000L));
            Barrier a = BarrierFixtures.barrier(h.db().dataSource(), clock);
            a.initialize(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE));
            Barrier replica = BarrierFixtures.barrier(h.db().dataSource(), clock);
            replica.unseal(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE));
            byte[] ct = a.forSubject("subj-1").encrypt("vault/c/1", bytes("secret"));
            assertThat(replica.decrypt("vault/c/1", ct)).isEqualTo(bytes("secret")); // cached now
            a.shredSubject("subj-1");
            clock.advance(java.time.Duration.ofMillis(Barrier.Options.DEFAULT.subjectCacheTtl().toMillis() + 1));
            assertKind(() -> replica.decrypt("vault/c/1", ct), BarrierException.Kind.SHREDDED);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void twoReplicasAgreeOnOneKeyPerSubject(StoreConfig.Kind kind) {
        try (var h = TestStores.open(kind)) {
            Barrier a = BarrierFixtures.initialised(h.db().dataSource());
            Barrier replica = BarrierFixtures.barrier(h.db().dataSource(), Clock.systemUTC());
            replica.unseal(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE));
            byte[] x = a.forSubject("subj-2").encrypt("p/1", bytes("x"));
            byte[] y = replica.forSubject("subj-2").encrypt("p/2", bytes("y"));
            assertThat(Envelope.parse(x).keyId()).isEqualTo(Envelope.parse(y).keyId());
            a.shredSubject("subj-2");
            assertKind(() -> a.decrypt("p/2", y), BarrierException.Kind.SHREDDED);
        }
    }

    static byte[] sha256(byte[] b) throws Exception { return MessageDigest.getInstance("SHA-256").digest(b); }

    static byte[] chain(List<byte[]> leaves) throws Exception {
        byte[] acc = new byte[32];
        for (byte[] l : leaves) acc = sha256(ChunkedAead.concat(acc, l));
        return acc;
    }
}
