package dev.bastion.api;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: {@code req_} + 26 base32 characters (128 random bits), cheap enough for every request. */
public final class RequestIds {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private RequestIds() {}

    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = r.nextLong();
        long lo = r.nextLong();
        char[] out = new char[30];
        out[0] = 'r';
        out[1] = 'e';
        out[2] = 'q';
        out[3] = '_';
        for (int i = 0; i < 13; i++) {
            out[4 + i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
            out[17 + i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }
}
