package dev.bastion.inspect;

import java.util.Arrays;

/**
 * Inspected text with its word tokens computed once and shared by all detectors. A token is a maximal run of
 * letters or digits (an apostrophe or hyphen between letters stays inside, so "O'Brien" and "Smith-Jones" are one).
 */
public final class Text {
    private final String value;
    private int[] starts;
    private int[] ends;
    private int count = -1;
    private int[] flagCache;
    /** Per token: {@link #DIGITS}, and the class of its first char ({@link #UPPER}, {@link #LOWER}, {@link #FIRST_DIGIT}, {@link #LETTER}). */
    private byte[] classes;
    /** Word starts (see {@link #wordStarts()}), filled by the tokenizer; then those whose first char is a digit. */
    private int[] wordStarts;
    private int[] wordEnds;
    private int wordStartCount;
    private int[] digitStarts;
    private int digitStartCount = -1;

    public Text(String value) {
        this.value = value;
    }

    public String value() { return value; }

    public int length() { return value.length(); }

    public char charAt(int i) { return value.charAt(i); }

    public int tokenCount() {
        if (count < 0) tokenize(); // the check inline: tokenize() is too big to be inlined into callers
        return count;
    }

    public int tokenStart(int i) { return starts[i]; }

    public int tokenEnd(int i) { return ends[i]; }

    /** Index of the first token starting at or after {@code pos}, or tokenCount(). */
    public int tokenAtOrAfter(int pos) {
        if (count < 0) tokenize();
        int i = Arrays.binarySearch(starts, 0, count, pos);
        return i >= 0 ? i : -i - 1;
    }

    /** Token class bits, set by the tokenizer: every char an ASCII digit. */
    static final int DIGITS = 1;
    /** First char: {@link Character#isUpperCase(char)}. */
    static final int UPPER = 2;
    /** First char: {@link Character#isLowerCase(char)}. */
    static final int LOWER = 4;
    /** First char: an ASCII digit. */
    static final int FIRST_DIGIT = 8;
    /** First char: {@link Character#isLetter(char)}. */
    static final int LETTER = 16;
    /** Class bits of an ASCII char as a first char; {@link #firstClass} for others. */
    private static final byte[] ASCII_FIRST = new byte[128];
    /** 1 for an ASCII digit, 2 for an ASCII letter, 0 otherwise: OR-ed over a token, 1 means digits only. */
    private static final byte[] ASCII_KIND = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII_FIRST[c] = (byte) firstClass(c);
            ASCII_KIND[c] = (byte) (Chars.isDigit(c) ? 1 : Character.isLetterOrDigit(c) ? 2 : 0);
        }
    }

    private static int firstClass(char c) {
        return (Character.isUpperCase(c) ? UPPER : 0) | (Character.isLowerCase(c) ? LOWER : 0)
                | (Chars.isDigit(c) ? FIRST_DIGIT : 0) | (Character.isLetter(c) ? LETTER : 0);
    }

    /** The class bits of token i (see {@link #DIGITS} and following): one load instead of re-reading its chars. */
    int tokenClass(int i) { return classes[i]; }

    /** True when token i starts with an upper-case letter. */
    public boolean capitalized(int i) { return (classes[i] & UPPER) != 0; }

    /** True when token i is all upper case letters (length ≥ 2). */
    public boolean allCaps(int i) {
        if (ends[i] - starts[i] < 2) return false;
        for (int k = starts[i]; k < ends[i]; k++) {
            char c = value.charAt(k);
            if (Character.isLetter(c) && !Character.isUpperCase(c)) return false;
        }
        return true;
    }

    public boolean isDigits(int i) { return (classes[i] & DIGITS) != 0; }

    public boolean tokenIs(int i, String lowerWord) {
        int st = starts[i];
        int len = ends[i] - st;
        if (len != lowerWord.length()) return false;
        // ASCII pairs compare by ASCII lower case, which is what regionMatches(true, …) does for them; any other char
        // goes to regionMatches itself (a few non-ASCII letters match 'i', 'k' or 's' ignoring case)
        for (int k = 0; k < len; k++) {
            char c = value.charAt(st + k);
            char d = lowerWord.charAt(k);
            if ((c | d) >= 128) return value.regionMatches(true, st, lowerWord, 0, len);
            if (c != d && (c | 0x20) != (d | 0x20) || c != d && !Chars.isAsciiLetter(c)) return false;
        }
        return true;
    }

    /**
     * Positions p where a letter or digit follows a non-letter-or-digit (or the start): every token start plus the
     * letter after an apostrophe or hyphen inside a token ("O'Brien" → 0 and 2), ascending. Scanners that only act
     * at such a boundary walk this list instead of every char. Entries beyond {@link #wordStartCount()} are garbage.
     */
    int[] wordStarts() {
        if (count < 0) tokenize();
        return wordStarts;
    }

    /** End of the run of letters and digits from wordStarts()[k] (the next apostrophe or hyphen, or the token end). */
    int[] wordEnds() {
        if (count < 0) tokenize();
        return wordEnds;
    }

    int wordStartCount() {
        if (count < 0) tokenize();
        return wordStartCount;
    }

    /** The word starts whose char is an ASCII digit, ascending; see {@link #digitStartCount()}. */
    int[] digitStarts() {
        if (digitStartCount < 0) {
            if (count < 0) tokenize();
            int[] d = new int[Math.max(4, wordStartCount / 8)];
            int m = 0;
            for (int k = 0; k < wordStartCount; k++) {
                int p = wordStarts[k];
                if (!Chars.isDigit(value.charAt(p))) continue;
                if (m == d.length) d = Arrays.copyOf(d, m * 2);
                d[m++] = p;
            }
            digitStarts = d;
            digitStartCount = m;
        }
        return digitStarts;
    }

    int digitStartCount() {
        digitStarts();
        return digitStartCount;
    }

    /** A per-token int memo for one detector's lookups (the gazetteer's flags); MIN_VALUE when not yet set. */
    int memo(int i) {
        if (flagCache == null) {
            flagCache = new int[tokenCount()];
            Arrays.fill(flagCache, Integer.MIN_VALUE);
        }
        return flagCache[i];
    }

    void memo(int i, int v) { flagCache[i] = v; }

    private void tokenize() {
        if (count >= 0) return;
        int cap = Math.max(8, value.length() / 4);
        int[] s = new int[cap];
        int[] e = new int[cap];
        byte[] cl = new byte[cap];
        int[] w = new int[cap];
        int[] we = new int[cap];
        int nw = 0;
        int n = 0;
        int len = value.length();
        // a plain char array: the JIT keeps these loops tighter than over String.charAt (no coder test per char)
        char[] v = new char[len];
        value.getChars(0, len, v, 0);
        int i = 0;
        while (i < len) {
            char c = v[i];
            if (!Chars.isLetterOrDigit(c)) { i++; continue; }
            int st = i;
            int kinds = c < 128 ? ASCII_KIND[c] : 2;
            int first = c < 128 ? ASCII_FIRST[c] : firstClass(c);
            if (nw == w.length) { w = Arrays.copyOf(w, nw * 2); we = Arrays.copyOf(we, nw * 2); }
            w[nw++] = i;
            i++;
            while (i < len) {
                char d = v[i];
                if (d < 128) {
                    int k = ASCII_KIND[d];
                    if (k != 0) { kinds |= k; i++; continue; }
                } else if (Character.isLetterOrDigit(d)) { kinds |= 2; i++; continue; }
                if ((d == '\'' || d == '-' || d == '\u2019') && i + 1 < len && Character.isLetter(v[i + 1])
                        && Character.isLetter(v[i - 1])) {
                    we[nw - 1] = i;
                    i++;
                    if (nw == w.length) { w = Arrays.copyOf(w, nw * 2); we = Arrays.copyOf(we, nw * 2); }
                    w[nw++] = i;
                    continue;
                }
                break;
            }
            if (n == s.length) {
                s = Arrays.copyOf(s, n * 2);
                e = Arrays.copyOf(e, n * 2);
                cl = Arrays.copyOf(cl, n * 2);
            }
            s[n] = st;
            e[n] = i;
            cl[n] = (byte) (first | (kinds == 1 ? DIGITS : 0));
            n++;
            we[nw - 1] = i;
        }
        starts = s;
        ends = e;
        classes = cl;
        wordStarts = w;
        wordEnds = we;
        wordStartCount = nw;
        count = n;
    }
}
