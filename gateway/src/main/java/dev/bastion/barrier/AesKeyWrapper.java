package dev.bastion.barrier;

import java.security.SecureRandom;
import java.util.Map;

/** A wrapping key held in memory (passphrase-derived or read from a file): AES-256-GCM, wiped on close. */
final class AesKeyWrapper implements KeyProvider.KeyWrapper {
    private final Map<String, String> params;
    private final AesKey kek;
    private final SecureRandom random;

    AesKeyWrapper(Map<String, String> params, byte[] kek, SecureRandom random) {
        this.params = Map.copyOf(params);
        this.kek = new AesKey(kek);
        this.random = random;
    }

    @Override public Map<String, String> params() { return params; }

    @Override
    public byte[] wrap(byte[] key, byte[] ad) { return Aead.wrap(kek, key, ad, random); }

    @Override
    public byte[] unwrap(byte[] wrapped, byte[] ad) {
        return Aead.unwrap(kek, wrapped, ad, BarrierException.Kind.UNSEAL_FAILED);
    }

    @Override
    public void close() { kek.destroy(); }
}
