package dev.bastion.telemetry;

/**
 * A W3C Trace Context {@code traceparent} value: {@code version-traceid-parentid-flags}, e.g.
 * {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}. Parsed strictly (lowercase hex, no all-zero ids,
 * version {@code ff} invalid; a later version is read by its first four fields, as the specification asks), so a
 * malformed header is ignored and the request starts a trace of its own.
 *
 * @param traceHi high 64 bits of the trace id
 * @param traceLo low 64 bits of the trace id
 * @param spanId  the caller's span (the parent of Bastion's server span)
 * @param sampled the caller's sampling decision (flag bit 0)
 */
public record TraceParent(long traceHi, long traceLo, long spanId, boolean sampled) {
    private static final int LENGTH = 55;

    /** The header's value as a trace parent, or null when absent or malformed. */
    public static TraceParent parse(String header) {
        if (header == null || header.length() < LENGTH) return null;
        String h = header.strip();
        if (h.length() < LENGTH || h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-') return null;
        int version = hex(h, 0, 2);
        if (version < 0 || version == 0xff) return null;
        if (version == 0 ? h.length() != LENGTH : h.length() > LENGTH && h.charAt(LENGTH) != '-') return null;
        long hi = hex64(h, 3);
        long lo = hex64(h, 19);
        long span = hex64(h, 36);
        int flags = hex(h, 53, 55);
        if (hi == -1 && !allF(h, 3, 19) || lo == -1 && !allF(h, 19, 35) || span == -1 && !allF(h, 36, 52)) return null;
        if (flags < 0 || (hi == 0 && lo == 0) || span == 0) return null;
        return new TraceParent(hi, lo, span, (flags & 1) == 1);
    }

    /** The header value for a call from span {@code spanId} of this trace (version 00). */
    public static String format(long traceHi, long traceLo, long spanId, boolean sampled) {
        char[] out = new char[LENGTH];
        out[0] = '0';
        out[1] = '0';
        out[2] = '-';
        hex(out, 3, traceHi);
        hex(out, 19, traceLo);
        out[35] = '-';
        hex(out, 36, spanId);
        out[52] = '-';
        out[53] = '0';
        out[54] = sampled ? '1' : '0';
        return new String(out);
    }

    /** Lowercase hex of a 64-bit id, 16 characters. */
    public static String hex(long id) {
        char[] out = new char[16];
        hex(out, 0, id);
        return new String(out);
    }

    private static void hex(char[] out, int at, long v) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = Character.forDigit((int) (v & 0xf), 16);
            v >>>= 4;
        }
    }

    /** 16 lowercase hex digits from {@code at}; -1 also for invalid input (callers tell the two apart). */
    private static long hex64(String s, int at) {
        long v = 0;
        for (int i = at; i < at + 16; i++) {
            int d = digit(s.charAt(i));
            if (d < 0) return -1;
            v = (v << 4) | d;
        }
        return v;
    }

    private static boolean allF(String s, int from, int to) {
        for (int i = from; i < to; i++) if (s.charAt(i) != 'f') return false;
        return true;
    }

    private static int hex(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = digit(s.charAt(i));
            if (d < 0) return -1;
            v = (v << 4) | d;
        }
        return v;
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1; // uppercase hex is not allowed by the specification
    }
}
