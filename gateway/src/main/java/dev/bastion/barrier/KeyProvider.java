package dev.bastion.barrier;

import java.security.SecureRandom;
import java.util.Map;

/**
 * Where the key that protects the root key comes from: a passphrase, an HSM (PKCS#11), or — for development only —
 * a file. The provider's name and its public parameters (salt, KDF cost, HSM key label) are stored beside the
 * wrapped root key so that unsealing later uses the same derivation.
 */
public interface KeyProvider {

    /** The config and store name: {@code passphrase}, {@code pkcs11}, {@code insecure-file}. */
    String name();

    /** True when the provider can open the barrier at start-up without an operator (HSM, key file). */
    boolean autoUnseal();

    /** Prepares wrapping for a brand-new root key (fresh salt, HSM key created if configured so). */
    KeyWrapper create(SecureRandom random);

    /** Opens wrapping for an existing root key with the parameters stored when it was created. */
    KeyWrapper open(Map<String, String> storedParams);

    /** A key-encryption key for the root key; {@link #close()} wipes it. */
    interface KeyWrapper extends AutoCloseable {
        /** Public parameters to store (never secrets). */
        Map<String, String> params();

        byte[] wrap(byte[] key, byte[] associatedData);

        /** Fails with {@link BarrierException.Kind#UNSEAL_FAILED} when the key or associated data is wrong. */
        byte[] unwrap(byte[] wrapped, byte[] associatedData);

        @Override
        void close();
    }
}
