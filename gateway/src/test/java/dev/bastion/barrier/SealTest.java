package dev.bastion.barrier;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static dev.bastion.barrier.BarrierCiphertextTest.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

/** The seal state machine: sealed means every operation fails typed, and sealing wipes the keys. */
class SealTest {

    @Test
    void aFreshBarrierIsUninitialisedAndRefusesEverything() {
        try (var h = TestStores.sqlite()) {
            Barrier b = BarrierFixtures.barrier(h.db().dataSource(), Clock.systemUTC());
            assertThat(b.status().state()).isEqualTo(Barrier.State.UNINITIALIZED);
            assertEveryOperationIsSealed(b);
        }
    }

    @Test
    void aBarrierOverAnInitialisedStoreStartsSealedUntilTheRightPassphrase() {
        try (var h = TestStores.sqlite()) {
            Barrier first = BarrierFixtures.initialised(h.db().dataSource());
            byte[] ct = first.encrypt("apikeys/hmac", "k".repeat(32).getBytes(StandardCharsets.UTF_8));

            Barrier restarted = Barrier.start(h.db(), Optional.of(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE)));
            assertThat(restarted.status().state()).isEqualTo(Barrier.State.SEALED); // passphrase never auto-unseals
            assertThat(restarted.status().provider()).isEqualTo("passphrase");
            assertEveryOperationIsSealed(restarted);

            assertKind(() -> { restarted.unseal(BarrierFixtures.passphrase("not the passphrase at all")); return null; },
                    BarrierException.Kind.UNSEAL_FAILED);
            assertThat(restarted.isSealed()).isTrue();
            assertKind(() -> { restarted.unseal(new InsecureFileKeyProvider(java.nio.file.Path.of("/nonexistent"))); return null; },
                    BarrierException.Kind.UNSEAL_FAILED);

            restarted.unseal(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE));
            assertThat(restarted.decrypt("apikeys/hmac", ct)).isEqualTo("k".repeat(32).getBytes(StandardCharsets.UTF_8));
            assertThat(restarted.status().keyIds()).containsExactly(1);
        }
    }

    @Test
    void sealingWipesKeysAndFailsEveryLaterUseAsSealed() throws Exception {
        try (var h = TestStores.sqlite()) {
            Barrier b = BarrierFixtures.initialised(h.db().dataSource());
            byte[] ct = b.encrypt("vault/c/1", new byte[] {1, 2, 3});
            RecordCipher subject = b.forSubject("subject-1");
            byte[] sct = subject.encrypt("vault/c/2", new byte[] {4});
            Unsealed state = b.openStateForTests();
            List<AesKey> keys = List.copyOf(state.keyring().keys().values());
            OutputStream stream = b.encryptingStream("blobs/1", new ByteArrayOutputStream());
            stream.write(new byte[100_000]);

            b.seal();
            assertThat(keys).allMatch(AesKey::isDestroyed);
            assertThat(keys.getFirst().getEncoded()).containsOnly(0);
            assertEveryOperationIsSealed(b);
            assertKind(() -> b.decrypt("vault/c/1", ct), BarrierException.Kind.SEALED);
            assertKind(() -> subject.decrypt("vault/c/2", sct), BarrierException.Kind.SEALED);
            assertKind(() -> { stream.close(); return null; }, BarrierException.Kind.SEALED); // no chunk after seal

            b.unseal(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE));
            assertThat(b.decrypt("vault/c/1", ct)).containsExactly(1, 2, 3);
            assertThat(subject.decrypt("vault/c/2", sct)).containsExactly(4);
        }
    }

    @Test
    void sealedMapsToHttp503Sealed() {
        BarrierException e = BarrierException.sealed();
        assertThat(e.errorCode()).isEqualTo(ErrorCode.SEALED);
        assertThat(e.errorCode().status()).isEqualTo(503);
        assertThat(e.errorCode().code()).isEqualTo("sealed");
        assertThat(new BarrierException(BarrierException.Kind.TAMPERED, "x").errorCode()).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void initialisingTwiceIsRefused() {
        try (var h = TestStores.sqlite()) {
            BarrierFixtures.initialised(h.db().dataSource());
            Barrier other = BarrierFixtures.barrier(h.db().dataSource(), Clock.systemUTC());
            assertKind(() -> { other.initialize(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE)); return null; },
                    BarrierException.Kind.STATE);
        }
    }

    @Test
    void aShortPassphraseIsRefusedAtInitialisation() {
        try (var h = TestStores.sqlite()) {
            Barrier b = BarrierFixtures.barrier(h.db().dataSource(), Clock.systemUTC());
            assertKind(() -> { b.initialize(BarrierFixtures.passphrase("short")); return null; }, BarrierException.Kind.PROVIDER);
            assertThat(b.status().state()).isEqualTo(Barrier.State.UNINITIALIZED);
        }
    }

    @Test
    void changingThePassphraseRetiresTheOldOne() {
        try (var h = TestStores.sqlite()) {
            Barrier b = BarrierFixtures.initialised(h.db().dataSource());
            byte[] ct = b.encrypt("audit/signing-key", new byte[] {9});
            b.changeProvider(BarrierFixtures.passphrase("a whole new passphrase"));
            b.seal();
            assertKind(() -> { b.unseal(BarrierFixtures.passphrase(BarrierFixtures.PASSPHRASE)); return null; },
                    BarrierException.Kind.UNSEAL_FAILED);
            b.unseal(BarrierFixtures.passphrase("a whole new passphrase"));
            assertThat(b.decrypt("audit/signing-key", ct)).containsExactly(9);
        }
    }

    static void assertEveryOperationIsSealed(Barrier b) {
        assertKind(() -> b.encrypt("a/b", new byte[1]), BarrierException.Kind.SEALED);
        assertKind(() -> b.decrypt("a/b", new byte[64]), BarrierException.Kind.SEALED);
        assertKind(() -> b.forSubject("s").encrypt("a/b", new byte[1]), BarrierException.Kind.SEALED);
        assertKind(() -> b.shredSubject("s"), BarrierException.Kind.SEALED);
        assertKind(b::rotate, BarrierException.Kind.SEALED);
        assertKind(() -> b.encryptingStream("a/b", new ByteArrayOutputStream()), BarrierException.Kind.SEALED);
        assertKind(() -> b.rewrap("a/b", new byte[64]), BarrierException.Kind.SEALED);
    }
}
