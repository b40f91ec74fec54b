package dev.bastion.barrier;

import javax.security.auth.Destroyable;
import java.util.Arrays;

/**
 * Key material or another secret byte string. {@code toString} never shows it; {@link #destroy()} overwrites it
 * with zeros (the JVM may still hold copies made elsewhere, but ours are wiped on seal).
 */
public final class SecretBytes implements Destroyable, AutoCloseable {
    private final byte[] bytes;
    private volatile boolean destroyed;

    private SecretBytes(byte[] bytes) { this.bytes = bytes; }

    /** Takes ownership of {@code bytes}: the caller must not keep using the array. */
    public static SecretBytes wrap(byte[] bytes) { return new SecretBytes(bytes); }

    public static SecretBytes copyOf(byte[] bytes) { return new SecretBytes(bytes.clone()); }

    /** A copy the caller owns (and should zero when done). */
    public byte[] copy() {
        check();
        return bytes.clone();
    }

    public int length() { return bytes.length; }

    /** The backing array, for code in this package that zeroes what it derives. */
    byte[] unsafeBytes() {
        check();
        return bytes;
    }

    private void check() {
        if (destroyed) throw new IllegalStateException("secret was destroyed");
    }

    @Override
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() { return destroyed; }

    @Override
    public void close() { destroy(); }

    @Override
    public String toString() { return "SecretBytes[<redacted>]"; }
}
