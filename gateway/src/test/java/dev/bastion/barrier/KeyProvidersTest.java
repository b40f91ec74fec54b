package dev.bastion.barrier;

import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.Optional;

import static dev.bastion.barrier.BarrierCiphertextTest.assertKind;
import static dev.bastion.barrier.KeyringRotationTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/** Auto-unseal providers against real backends: SoftHSM2 through SunPKCS11, and the insecure development file. */
class KeyProvidersTest {

    static Pkcs11KeyProvider hsm(SoftHsm.Token token, String pin, String label, boolean create) {
        return new Pkcs11KeyProvider(new Pkcs11KeyProvider.Config(SoftHsm.LIBRARY, token.slot(), null, label, Passphrase.of(pin), create));
    }

    @Test
    void anHsmKeyOpensTheBarrierAtStartWithoutAnOperatorAndNeverLeavesTheToken() throws Exception {
        SoftHsm.Token token = SoftHsm.main();
        try (var h = TestStores.sqlite()) {
            Barrier first = Barrier.start(h.db(), Optional.of(hsm(token, SoftHsm.PIN, "bastion-root", true)));
            assertThat(first.status().state()).isEqualTo(Barrier.State.UNSEALED);
            assertThat(first.status().provider()).isEqualTo("pkcs11");
            byte[] ct = first.encrypt("audit/signing-key", bytes("ed25519 seed"));
            first.seal();

            Barrier restarted = Barrier.start(h.db(), Optional.of(hsm(token, SoftHsm.PIN, "bastion-root", false)));
            assertThat(restarted.isSealed()).isFalse();
            assertThat(restarted.decrypt("audit/signing-key", ct)).isEqualTo(bytes("ed25519 seed"));

            // the wrapping key is on the token, sensitive and not extractable
            Provider p = Security.getProvider("SunPKCS11").configure("--name=check\nlibrary=" + SoftHsm.LIBRARY + "\nslot=" + token.slot() + "\n");
            KeyStore ks = KeyStore.getInstance("PKCS11", p);
            ks.load(null, SoftHsm.PIN.toCharArray());
            assertThat(ks.isKeyEntry("bastion-root")).isTrue();
            assertThat(ks.getKey("bastion-root", null).getEncoded()).isNull();
        }
    }

    @Test
    void aWrongPinOrAnotherTokensKeyCannotUnseal() {
        SoftHsm.Token token = SoftHsm.main();
        try (var h = TestStores.sqlite()) {
            Barrier b = Barrier.over(h.db());
            b.initialize(hsm(token, SoftHsm.PIN, "bastion-root-2", true));
            b.seal();
            assertKind(() -> { b.unseal(hsm(token, "0000-wrong", "bastion-root-2", false)); return null; }, BarrierException.Kind.UNSEAL_FAILED);
            // same label on another token: a different key, so the root key does not authenticate
            hsm(SoftHsm.other(), SoftHsm.PIN, "bastion-root-2", true).create(new java.security.SecureRandom()).close();
            assertKind(() -> { b.unseal(hsm(SoftHsm.other(), SoftHsm.PIN, "bastion-root-2", false)); return null; }, BarrierException.Kind.UNSEAL_FAILED);
            // a different label than the store was created with
            assertKind(() -> { b.unseal(hsm(token, SoftHsm.PIN, "some-other-label", false)); return null; }, BarrierException.Kind.UNSEAL_FAILED);
            assertThat(b.isSealed()).isTrue();
            b.unseal(hsm(token, SoftHsm.PIN, "bastion-root-2", false));
            assertThat(b.isSealed()).isFalse();
        }
    }

    @Test
    void aMissingKeyOrLibraryIsAProviderError() {
        SoftHsm.Token token = SoftHsm.main();
        try (var h = TestStores.sqlite()) {
            Barrier b = Barrier.over(h.db());
            assertKind(() -> { b.initialize(hsm(token, SoftHsm.PIN, "absent-key", false)); return null; }, BarrierException.Kind.PROVIDER);
            var noLib = new Pkcs11KeyProvider(new Pkcs11KeyProvider.Config(Path.of("/nonexistent/libpkcs11.so"), 0L, null, "k", Passphrase.of("1"), true));
            assertKind(() -> { b.initialize(noLib); return null; }, BarrierException.Kind.PROVIDER);
            assertThat(b.status().state()).isEqualTo(Barrier.State.UNINITIALIZED);
        }
    }

    @Test
    void theInsecureFileProviderSaysSoAndAutoUnsealsWithItsOwnFileOnly(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("keys/insecure-root.key");
        InsecureFileKeyProvider provider = new InsecureFileKeyProvider(keyFile);
        assertThat(provider.name()).isEqualTo("insecure-file");
        assertThat(InsecureFileKeyProvider.class.getSimpleName()).startsWith("Insecure");
        try (var h = TestStores.sqlite()) {
            Barrier b = Barrier.start(h.db(), Optional.of(provider));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
            byte[] ct = b.encrypt("apikeys/hmac", bytes("k"));
            b.seal();
            Barrier restarted = Barrier.start(h.db(), Optional.of(new InsecureFileKeyProvider(keyFile)));
            assertThat(restarted.decrypt("apikeys/hmac", ct)).isEqualTo(bytes("k"));

            Path otherFile = dir.resolve("other.key");
            new InsecureFileKeyProvider(otherFile).create(new java.security.SecureRandom()).close();
            restarted.seal();
            assertKind(() -> { restarted.unseal(new InsecureFileKeyProvider(otherFile)); return null; }, BarrierException.Kind.UNSEAL_FAILED);
        }
    }

    @Test
    void secretsAndProvidersNeverPrintTheirSecrets() {
        var cfg = new Pkcs11KeyProvider.Config(SoftHsm.LIBRARY, 1L, null, "label", Passphrase.of("pin-1234-secret"), false);
        assertThat(cfg.toString()).doesNotContain("pin-1234-secret").contains("<redacted>");
        assertThat(new Pkcs11KeyProvider(cfg).toString()).doesNotContain("pin-1234-secret");
        assertThat(Passphrase.of("my passphrase").toString()).doesNotContain("my passphrase");
        assertThat(new PassphraseKeyProvider(Passphrase.of("my passphrase")).toString()).doesNotContain("my passphrase");
        assertThat(SecretBytes.copyOf(bytes("raw secret")).toString()).doesNotContain("raw secret");
        assertThat(new AesKey(new byte[32]).toString()).contains("redacted");
        SecretBytes s = SecretBytes.copyOf(bytes("wipe me"));
        s.destroy();
        assertThat(s.isDestroyed()).isTrue();
        Passphrase p = Passphrase.of("wipe me too");
        p.destroy();
        assertThat(p.isDestroyed()).isTrue();
    }
}
