package dev.bastion.governance;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Registry identifiers and names. */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    /** Entry, run and dataset ids, and names: lower-case tokens that audit fields and URLs carry as they are. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._:-]{0,63}");
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._:-]{0,79}");

    private Ids() {}

    /** {@code prefix-} and 12 random base32 characters (60 bits). */
    static String next(String prefix) {
        StringBuilder sb = new StringBuilder(prefix).append('-');
        for (int i = 0; i < 12; i++) sb.append(BASE32[RANDOM.nextInt(32)]);
        return sb.toString();
    }
}
