package dev.bastion.barrier;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A 256-bit AES key whose bytes we own and can wipe ({@code SecretKeySpec} cannot be destroyed), plus a small pool
 * of initialised GCM {@link Cipher}s: creating a Cipher and expanding the key costs more than encrypting a 1 KiB
 * record, and a ThreadLocal cache would be useless with one virtual thread per request.
 */
final class AesKey implements SecretKey {
    static final int LENGTH = 32;
    private static final int MAX_POOLED = 64;

    private final byte[] key;
    private volatile boolean destroyed;
    private final ConcurrentLinkedQueue<Cipher> pool = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    /** Takes ownership of {@code key}. */
    AesKey(byte[] key) {
        if (key.length != LENGTH) throw new IllegalArgumentException("AES-256 key must be 32 bytes");
        this.key = key;
    }

    Cipher borrow() throws GeneralSecurityException {
        Cipher c = pool.poll();
        if (c != null) {
            pooled.decrementAndGet();
            return c;
        }
        return Cipher.getInstance("AES/GCM/NoPadding");
    }

    void release(Cipher c) {
        if (destroyed) return;
        if (pooled.incrementAndGet() <= MAX_POOLED) pool.offer(c);
        else pooled.decrementAndGet();
    }

    /** The raw bytes, for wrapping; the caller must wipe the copy. */
    byte[] copyBytes() { return key.clone(); }

    @Override public String getAlgorithm() { return "AES"; }
    @Override public String getFormat() { return "RAW"; }
    @Override public byte[] getEncoded() { return key.clone(); }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
        pool.clear(); // initialised ciphers hold expanded round keys: let them go
        pooled.set(0);
    }

    @Override public boolean isDestroyed() { return destroyed; }

    @Override public String toString() { return "AesKey[<redacted>]"; }
}
