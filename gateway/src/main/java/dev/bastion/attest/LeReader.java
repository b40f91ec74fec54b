package dev.bastion.attest;

import java.util.Arrays;

/** Bounded little-endian reader over evidence bytes: every read past the end is {@link Refusal#MALFORMED}. */
final class LeReader {
    private final byte[] b;
    private int pos;
    private final int end;

    LeReader(byte[] b) { this(b, 0, b.length); }

    LeReader(byte[] b, int from, int to) {
        this.b = b;
        this.pos = from;
        this.end = to;
    }

    int position() { return pos; }

    int remaining() { return end - pos; }

    private void need(int n, String what) throws EvidenceException {
        if (n < 0 || n > end - pos) throw new EvidenceException(Refusal.MALFORMED, "truncated at " + what);
    }

    int u8(String what) throws EvidenceException {
        need(1, what);
        return b[pos++] & 0xff;
    }

    int u16(String what) throws EvidenceException {
        need(2, what);
        int v = (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    int u24(String what) throws EvidenceException {
        need(3, what);
        int v = (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8 | (b[pos + 2] & 0xff) << 16;
        pos += 3;
        return v;
    }

    long u32(String what) throws EvidenceException {
        need(4, what);
        long v = (b[pos] & 0xffL) | (b[pos + 1] & 0xffL) << 8 | (b[pos + 2] & 0xffL) << 16 | (b[pos + 3] & 0xffL) << 24;
        pos += 4;
        return v;
    }

    long u64(String what) throws EvidenceException {
        long lo = u32(what);
        long hi = u32(what);
        return lo | hi << 32;
    }

    byte[] bytes(int n, String what) throws EvidenceException {
        need(n, what);
        byte[] out = Arrays.copyOfRange(b, pos, pos + n);
        pos += n;
        return out;
    }

    void skip(int n, String what) throws EvidenceException {
        need(n, what);
        pos += n;
    }

    /** A u32 length that must fit the rest of the input (so a hostile length cannot make us allocate). */
    int length32(String what) throws EvidenceException {
        long n = u32(what);
        if (n > remaining()) throw new EvidenceException(Refusal.MALFORMED, what + " longer than the evidence");
        return (int) n;
    }
}
