package dev.bastion.inspect;

/**
 * Finds runs of digits joined by single separators ("4111 1111-1111 1111", "+46 (0)157 548 89"), the shared
 * candidate shape of cards, phone numbers, SSNs and other numeric identifiers. One pass, no backtracking.
 */
final class DigitRuns {
    private DigitRuns() {}

    interface Visitor {
        void run(int start, int end, int digits);
    }

    /**
     * Visits each maximal run that starts at a word boundary and uses only separators from {@code seps}
     * (single separator between digit groups; "(" / ")" allowed when {@code parens}). Runs longer than
     * {@code maxLen} chars are cut there.
     */
    static void scan(Text t, String seps, boolean parens, int maxLen, Visitor v) {
        String s = t.value();
        int n = s.length();
        // A run can only start at a digit that begins a word (boundary() rejects a letter or digit before it), or at
        // the "+" / "(" / "(+" just before such a digit: only those positions are tried, the rest of the text is
        // skipped. The positions tried, and so the runs found, are the same as in a char-by-char scan.
        int[] ds = t.digitStarts();
        int dn = t.digitStartCount();
        int i = 0;
        for (int di = 0; di < dn; di++) {
            int p = ds[di];
            for (int q = Math.max(p - 2, 0); q <= p; q++) {
                if (q >= i) i = step(s, q, seps, parens, maxLen, v);
            }
        }
    }

    /** Tries a run at position i; returns where the scan goes on. */
    private static int step(String s, int i, String seps, boolean parens, int maxLen, Visitor v) {
        int n = s.length();
        char c = s.charAt(i);
        boolean plus = c == '+' && i + 1 < n && Chars.isDigit(s.charAt(i + 1));
        // "(0116)", "(+358) 213463204": an opening parenthesis before digits or a plus sign
        boolean open = parens && c == '(' && i + 1 < n && (Chars.isDigit(s.charAt(i + 1))
                || s.charAt(i + 1) == '+' && i + 2 < n && Chars.isDigit(s.charAt(i + 2)));
        if (!(Chars.isDigit(c) || plus || open) || !boundary(s, i)) {
            return i + 1;
        }
        int start = i;
        int digits = 0;
        int lastDigitEnd = i;
        int depth = 0;
        int k = i;
        if (plus || open) { k++; if (open) { depth++; if (s.charAt(k) == '+') k++; } }
        while (k < n && k - start < maxLen) {
            char d = s.charAt(k);
            if (Chars.isDigit(d)) { digits++; k++; lastDigitEnd = k; continue; }
            if (parens && d == '(' && depth == 0 && k + 1 < n && Chars.isDigit(s.charAt(k + 1))) { depth++; k++; continue; }
            if (parens && d == ')' && depth == 1) {
                depth--; k++;
                if (k < n && (s.charAt(k) == ' ' || s.charAt(k) == '-' || s.charAt(k) == '/') && k + 1 < n && Chars.isDigit(s.charAt(k + 1))) k++;
                continue;
            }
            if (parens && d == ' ' && depth == 0 && k + 2 < n && s.charAt(k + 1) == '(' && Chars.isDigit(s.charAt(k + 2))
                    && Chars.isDigit(s.charAt(k - 1))) {
                k++;
                continue;
            }
            if (seps.indexOf(d) >= 0 && k + 1 < n && Chars.isDigit(s.charAt(k + 1)) && Chars.isDigit(s.charAt(k - 1))) {
                k++;
                continue;
            }
            break;
        }
        int end = lastDigitEnd;
        // a phone extension "…9827x0305" belongs to the number
        if (parens && end + 1 < n && s.charAt(end) == 'x' && Chars.isDigit(s.charAt(end + 1))) {
            int e = end + 1;
            while (e < n && Chars.isDigit(s.charAt(e)) && e - end < 7) e++;
            end = e;
            k = Math.max(k, e);
        }
        if (digits > 0 && (end >= n || !Chars.isLetterOrDigit(s.charAt(end)))) v.run(start, end, digits);
        return Math.max(k, start + 1);
    }

    private static boolean boundary(String s, int i) {
        if (i == 0) return true;
        char p = s.charAt(i - 1);
        return !Chars.isLetterOrDigit(p) && p != '.' && p != '-' && p != '_' && p != '/' && p != '+';
    }

    /** The digits of s[from, to) as a string. */
    static String digitsOf(String s, int from, int to) {
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (Chars.isDigit(c)) b.append(c);
        }
        return b.toString();
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }
}
