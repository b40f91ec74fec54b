package dev.bastion.barrier;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * Server-held secrets (the API-key HMAC key at {@code apikeys/hmac}, the audit signing key at
 * {@code audit/signing-key}, backend credentials) as values of the {@link BarrierStore}, typed as
 * {@link SecretBytes} so they never print.
 */
public final class SecretStore {
    private final BarrierStore store;

    public SecretStore(BarrierStore store) {
        this.store = store;
    }

    public static SecretStore over(dev.bastion.store.Database db, Barrier barrier) {
        return new SecretStore(BarrierStore.over(db, barrier, java.time.Clock.systemUTC()));
    }

    public Optional<SecretBytes> get(String path) {
        return store.get(path).map(SecretBytes::wrap);
    }

    /** Creates or replaces the secret. */
    public void put(String path, SecretBytes value) {
        store.put(path, value.unsafeBytes());
    }

    /** The stored secret, or {@code length} fresh random bytes stored first; replicas racing agree on one value. */
    public SecretBytes getOrCreate(String path, int length, SecureRandom random) {
        Optional<SecretBytes> existing = get(path);
        if (existing.isPresent()) return existing.get();
        byte[] fresh = new byte[length];
        random.nextBytes(fresh);
        try {
            store.putIfAbsent(path, fresh, null);
        } finally {
            Arrays.fill(fresh, (byte) 0);
        }
        return get(path).orElseThrow(() -> new IllegalStateException("secret vanished after insert"));
    }

    public boolean delete(String path) {
        return store.delete(path);
    }
}
