package dev.bastion.audit.tlog;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 6962 hashing: leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right), empty tree = SHA-256("").
 * An instance owns one digest and is not thread-safe; the static helpers make a fresh one per call.
 */
public final class Hashes {
    public static final int SIZE = 32;
    private static final MessageDigest PROTOTYPE = sha256();
    private static final byte[] EMPTY = sha256().digest();

    private final MessageDigest md;

    public Hashes() {
        this.md = newDigest();
    }

    /** The root of the empty tree, SHA-256 of the empty string. */
    public static byte[] emptyRoot() { return EMPTY.clone(); }

    public static byte[] leafHash(byte[] entry) { return new Hashes().leaf(entry, 0, entry.length); }

    public static byte[] nodeHash(byte[] left, byte[] right) { return new Hashes().node(left, right); }

    public byte[] leaf(byte[] entry) { return leaf(entry, 0, entry.length); }

    public byte[] leaf(byte[] buf, int off, int len) {
        md.update((byte) 0);
        md.update(buf, off, len);
        return md.digest();
    }

    public byte[] node(byte[] left, byte[] right) {
        md.update((byte) 1);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /** Writes node(buf[l..l+32], buf[r..r+32]) to out[o..o+32]; the ranges may overlap the output. */
    public void node(byte[] buf, int l, int r, byte[] out, int o) {
        md.update((byte) 1);
        md.update(buf, l, SIZE);
        md.update(buf, r, SIZE);
        try {
            md.digest(out, o, SIZE);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    /** MTH of {@code count} (a power of two) consecutive 32-byte hashes in {@code buf} from {@code off}. */
    public byte[] perfectRoot(byte[] buf, int off, int count) {
        if (count == 1) return java.util.Arrays.copyOfRange(buf, off, off + SIZE);
        byte[] scratch = java.util.Arrays.copyOfRange(buf, off, off + count * SIZE);
        for (int n = count; n > 1; n >>= 1) {
            for (int i = 0; i < n / 2; i++) node(scratch, 2 * i * SIZE, (2 * i + 1) * SIZE, scratch, i * SIZE);
        }
        return java.util.Arrays.copyOf(scratch, SIZE);
    }

    private static MessageDigest newDigest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return sha256();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
