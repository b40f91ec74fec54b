package dev.bastion.barrier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.function.Supplier;

/**
 * A keyed one-way index of a sensitive value (HMAC-SHA-256 over the record path and the value), so a store can find
 * "the row for this value" without holding the value or a guessable plain hash of it. The key is a server secret
 * kept behind the barrier and does not change with data-key rotation, so indexes stay valid.
 */
public final class BlindIndex {
    private final Supplier<byte[]> keySource;
    private volatile SecretKeySpec key;

    public BlindIndex(Supplier<byte[]> keySource) {
        this.keySource = keySource;
    }

    /** The index of {@code value} within the namespace {@code path}. */
    public byte[] of(String path, byte[] value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            mac.update(path.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0); // paths never contain NUL: (path, value) pairs cannot collide by concatenation
            return mac.doFinal(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k == null) {
            byte[] raw = keySource.get();
            k = new SecretKeySpec(raw, "HmacSHA256");
            java.util.Arrays.fill(raw, (byte) 0);
            key = k;
        }
        return k;
    }

    @Override
    public String toString() { return "BlindIndex[<redacted>]"; }
}
