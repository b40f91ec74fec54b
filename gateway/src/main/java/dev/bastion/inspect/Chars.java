package dev.bastion.inspect;

/** Character classes used by the hand-written scanners (ASCII-only where a format is ASCII-only). */
final class Chars {
    private Chars() {}

    private static final boolean[] ASCII_ALNUM = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) ASCII_ALNUM[c] = Character.isLetterOrDigit(c);
    }

    /** {@link Character#isLetterOrDigit(char)} with a table for ASCII, the common case in every scanner loop. */
    static boolean isLetterOrDigit(char c) {
        return c < 128 ? ASCII_ALNUM[c] : Character.isLetterOrDigit(c);
    }

    static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    static boolean isAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

    static boolean isUpper(char c) { return c >= 'A' && c <= 'Z'; }

    static boolean isAlnum(char c) { return isDigit(c) || isAsciiLetter(c); }

    static boolean isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

    static boolean isWordChar(char c) { return isLetterOrDigit(c) || c == '_'; }

    /** Base64/base64url alphabet (no padding). */
    static boolean isB64(char c) { return isAlnum(c) || c == '+' || c == '/' || c == '-' || c == '_'; }

    static int digitCount(CharSequence s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) if (isDigit(s.charAt(i))) n++;
        return n;
    }

    /** True when the char before {@code pos} (if any) is not a letter or digit. */
    static boolean boundaryBefore(CharSequence s, int pos) {
        return pos == 0 || !isLetterOrDigit(s.charAt(pos - 1));
    }

    static boolean boundaryAfter(CharSequence s, int pos) {
        return pos >= s.length() || !isLetterOrDigit(s.charAt(pos));
    }

    /** Case-insensitive search for an ASCII lower-case {@code word} ending at most {@code window} chars before pos. */
    static boolean precededBy(CharSequence s, int pos, int window, String... lowerWords) {
        int from = Math.max(0, pos - window);
        for (String w : lowerWords) {
            if (indexOfIgnoreCase(s, w, from, pos) >= 0) return true;
        }
        return false;
    }

    /** {@link Character#toLowerCase(char)} without the Unicode tables for ASCII (same result). */
    static char lower(char c) {
        if (c < 128) return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        return Character.toLowerCase(c);
    }

    /** Bounded case-insensitive search of an ASCII lower-case needle in s[from, to). */
    static int indexOfIgnoreCase(CharSequence s, String lowerNeedle, int from, int to) {
        int n = lowerNeedle.length();
        char first = lowerNeedle.charAt(0);
        outer:
        for (int i = from; i + n <= to; i++) {
            if (lower(s.charAt(i)) != first) continue;
            for (int k = 1; k < n; k++) {
                if (lower(s.charAt(i + k)) != lowerNeedle.charAt(k)) continue outer;
            }
            return i;
        }
        return -1;
    }
}
