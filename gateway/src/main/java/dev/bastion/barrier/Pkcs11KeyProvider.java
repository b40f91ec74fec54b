package dev.bastion.barrier;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.util.Map;

/**
 * The root key is wrapped by an AES-256 key that lives in an HSM and never leaves it ({@code CKA_SENSITIVE},
 * not extractable): wrapping and unwrapping are {@code CKM_AES_GCM} operations inside the token, reached through the
 * JDK's SunPKCS11 provider. Auto-unseals at start-up when the token and PIN are available.
 */
public final class Pkcs11KeyProvider implements KeyProvider {
    public static final String NAME = "pkcs11";

    /**
     * @param library        the PKCS#11 module ({@code /usr/lib/softhsm/libsofthsm2.so}, a vendor's .so)
     * @param slot           the slot id, or null to use {@code slotListIndex}
     * @param slotListIndex  index into the module's slot list (used when {@code slot} is null; 0 if both are null)
     * @param keyLabel       label ({@code CKA_LABEL}) of the AES key on the token
     * @param pin            the user PIN
     * @param createKey      generate the key on the token when it does not exist yet (first initialisation)
     */
    public record Config(Path library, Long slot, Integer slotListIndex, String keyLabel, Passphrase pin,
                         boolean createKey) {
        public Config {
            if (keyLabel == null || keyLabel.isBlank() || !keyLabel.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new BarrierException(BarrierException.Kind.PROVIDER, "pkcs11 key label must match [A-Za-z0-9._-]{1,64}");
            }
        }

        @Override
        public String toString() {
            return "Pkcs11KeyProvider.Config[library=" + library + ", slot=" + slot + ", slotListIndex=" + slotListIndex
                    + ", keyLabel=" + keyLabel + ", pin=<redacted>]";
        }
    }

    private final Config config;
    private Provider provider;

    public Pkcs11KeyProvider(Config config) { this.config = config; }

    @Override public String name() { return NAME; }
    @Override public boolean autoUnseal() { return true; }

    @Override
    public synchronized KeyWrapper create(SecureRandom random) {
        try {
            KeyStore ks = login();
            Key existing = ks.getKey(config.keyLabel(), null);
            if (existing == null) {
                if (!config.createKey()) {
                    throw new BarrierException(BarrierException.Kind.PROVIDER, "no key labelled " + config.keyLabel() + " on the token");
                }
                KeyGenerator kg = KeyGenerator.getInstance("AES", provider);
                kg.init(256, random);
                ks.setEntry(config.keyLabel(), new KeyStore.SecretKeyEntry(kg.generateKey()), null);
                existing = ks.getKey(config.keyLabel(), null);
            }
            return new HsmWrapper(asSecret(existing), random);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new BarrierException(BarrierException.Kind.PROVIDER, "PKCS#11 token unavailable", e);
        }
    }

    @Override
    public synchronized KeyWrapper open(Map<String, String> stored) {
        String label = stored.getOrDefault("label", config.keyLabel());
        if (!label.equals(config.keyLabel())) {
            throw new BarrierException(BarrierException.Kind.UNSEAL_FAILED,
                    "the store was sealed with HSM key " + label + ", configured is " + config.keyLabel());
        }
        try {
            Key key = login().getKey(label, null);
            if (key == null) throw new BarrierException(BarrierException.Kind.UNSEAL_FAILED, "no key labelled " + label + " on the token");
            return new HsmWrapper(asSecret(key), new SecureRandom());
        } catch (GeneralSecurityException | ProviderException e) {
            throw new BarrierException(BarrierException.Kind.PROVIDER, "PKCS#11 token unavailable", e);
        }
    }

    private KeyStore login() throws GeneralSecurityException {
        if (provider == null) {
            if (!Files.isRegularFile(config.library())) {
                throw new BarrierException(BarrierException.Kind.PROVIDER, "PKCS#11 library not found: " + config.library());
            }
            StringBuilder cfg = new StringBuilder("--name=bastion-barrier\nlibrary=").append(config.library()).append('\n');
            if (config.slot() != null) cfg.append("slot=").append(config.slot()).append('\n');
            else cfg.append("slotListIndex=").append(config.slotListIndex() == null ? 0 : config.slotListIndex()).append('\n');
            // keys generated here stay inside the token
            cfg.append("attributes(generate,CKO_SECRET_KEY,CKK_AES) = {\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n");
            Provider base = Security.getProvider("SunPKCS11");
            if (base == null) throw new BarrierException(BarrierException.Kind.PROVIDER, "the JDK has no SunPKCS11 provider");
            provider = base.configure(cfg.toString());
        }
        KeyStore ks = KeyStore.getInstance("PKCS11", provider);
        char[] pin = config.pin().chars();
        try {
            ks.load(null, pin);
        } catch (java.io.IOException e) {
            throw new BarrierException(BarrierException.Kind.UNSEAL_FAILED, "PKCS#11 login failed", e);
        } finally {
            java.util.Arrays.fill(pin, '\0');
        }
        return ks;
    }

    private static SecretKey asSecret(Key key) {
        if (key instanceof SecretKey sk && "AES".equalsIgnoreCase(sk.getAlgorithm())) return sk;
        throw new BarrierException(BarrierException.Kind.PROVIDER, "the configured token object is not an AES key");
    }

    /** GCM inside the token; the IV is chosen here (random) and stored in front of the output. */
    private final class HsmWrapper implements KeyWrapper {
        private final SecretKey key;
        private final SecureRandom random;

        HsmWrapper(SecretKey key, SecureRandom random) {
            this.key = key;
            this.random = random;
        }

        @Override
        public Map<String, String> params() { return Map.of("label", config.keyLabel(), "mechanism", "CKM_AES_GCM"); }

        @Override
        public byte[] wrap(byte[] plain, byte[] ad) {
            byte[] iv = new byte[Envelope.NONCE];
            random.nextBytes(iv);
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
                c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(Envelope.TAG_BITS, iv));
                c.updateAAD(ad);
                return ChunkedAead.concat(iv, c.doFinal(plain));
            } catch (GeneralSecurityException | ProviderException e) {
                throw new BarrierException(BarrierException.Kind.PROVIDER, "HSM wrap failed", e);
            }
        }

        @Override
        public byte[] unwrap(byte[] wrapped, byte[] ad) {
            if (wrapped.length < Envelope.NONCE + Envelope.TAG) {
                throw new BarrierException(BarrierException.Kind.UNSEAL_FAILED, "wrapped root key is malformed");
            }
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(Envelope.TAG_BITS, wrapped, 0, Envelope.NONCE));
                c.updateAAD(ad);
                return c.doFinal(wrapped, Envelope.NONCE, wrapped.length - Envelope.NONCE);
            } catch (AEADBadTagException e) {
                throw new BarrierException(BarrierException.Kind.UNSEAL_FAILED, "the HSM key does not open this root key");
            } catch (GeneralSecurityException | ProviderException e) {
                throw new BarrierException(BarrierException.Kind.PROVIDER, "HSM unwrap failed", e);
            }
        }

        @Override
        public void close() {
            synchronized (Pkcs11KeyProvider.this) {
                try {
                    if (provider instanceof AuthProvider ap) ap.logout();
                } catch (javax.security.auth.login.LoginException | ProviderException ignored) {
                    // already logged out or token gone: nothing of ours to wipe, the key never left the HSM
                }
            }
        }
    }

    @Override
    public String toString() { return "Pkcs11KeyProvider[" + config + "]"; }
}
