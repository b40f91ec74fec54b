package dev.bastion.barrier;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The ciphertext format (DESIGN §4): {@code version ‖ key id ‖ path check ‖ nonce ‖ AES-256-GCM output}.
 * <ul>
 *   <li>{@code 0x01} single value under a keyring data key (key id: 4 bytes)</li>
 *   <li>{@code 0x02} single value under a data subject's key (key id: 8 bytes)</li>
 *   <li>{@code 0x11} / {@code 0x12} the same keys, chunked (see {@link ChunkedAead}); instead of a nonce the header
 *       carries the chunk size and a salt for the per-value key</li>
 * </ul>
 * The path check is CRC32C of the logical path: not a security control (the AEAD is), it only lets a ciphertext
 * that was moved to another record fail as {@code wrong_path} instead of {@code tampered}. The associated data of
 * every GCM call is the header (version, key id, path check) followed by the UTF-8 path, so the path is bound
 * cryptographically and the header cannot be edited either.
 */
final class Envelope {
    static final byte SINGLE_KEYRING = 0x01;
    static final byte SINGLE_SUBJECT = 0x02;
    static final byte CHUNKED_KEYRING = 0x11;
    static final byte CHUNKED_SUBJECT = 0x12;
    static final int NONCE = 12;
    static final int TAG = 16;
    static final int TAG_BITS = 128;

    private Envelope() {}

    /** A parsed header: {@code prefixLength} bytes (version, key id, path check) start every ciphertext. */
    record Header(byte version, long keyId, int pathCheck, int prefixLength) {
        boolean subject() { return version == SINGLE_SUBJECT || version == CHUNKED_SUBJECT; }
        boolean chunked() { return version == CHUNKED_KEYRING || version == CHUNKED_SUBJECT; }
    }

    static int keyIdLength(byte version) {
        return switch (version) {
            case SINGLE_KEYRING, CHUNKED_KEYRING -> 4;
            case SINGLE_SUBJECT, CHUNKED_SUBJECT -> 8;
            default -> -1;
        };
    }

    static int prefixLength(byte version) { return 1 + keyIdLength(version) + 4; }

    static Header parse(byte[] ct) {
        if (ct == null || ct.length < 1) throw malformed();
        byte v = ct[0];
        int kid = keyIdLength(v);
        if (kid < 0) throw malformed();
        int prefix = 1 + kid + 4;
        int minimum = prefix + (v == SINGLE_KEYRING || v == SINGLE_SUBJECT ? NONCE + TAG : ChunkedAead.HEADER_EXTRA + TAG);
        if (ct.length < minimum) throw malformed();
        long id = kid == 4 ? (getInt(ct, 1) & 0xFFFFFFFFL) : getLong(ct, 1);
        return new Header(v, id, getInt(ct, 1 + kid), prefix);
    }

    /** Writes version, key id and path check at the start of {@code out}; returns the prefix length. */
    static int writePrefix(byte[] out, byte version, long keyId, int pathCheck) {
        out[0] = version;
        int kid = keyIdLength(version);
        if (kid == 4) putInt(out, 1, (int) keyId);
        else putLong(out, 1, keyId);
        putInt(out, 1 + kid, pathCheck);
        return 1 + kid + 4;
    }

    static byte[] pathBytes(String path) {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("a record path is required");
        return path.getBytes(StandardCharsets.UTF_8);
    }

    static int pathCheck(byte[] path) {
        CRC32C crc = new CRC32C();
        crc.update(path);
        return (int) crc.getValue();
    }

    static BarrierException malformed() {
        return new BarrierException(BarrierException.Kind.MALFORMED, "not a barrier ciphertext");
    }

    static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static long getLong(byte[] b, int off) {
        return ((long) getInt(b, off) << 32) | (getInt(b, off + 4) & 0xFFFFFFFFL);
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }
}
