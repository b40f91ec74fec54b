package dev.bastion.inspect;

import java.util.List;

/**
 * URL: "scheme://…" and "www.…", extended over URL characters and trimmed of trailing punctuation. A password in
 * the authority ("user:password@host") is reported separately as SECRET by {@link SecretDetector}.
 */
final class UrlDetector implements Detector {
    private static final int MAX = 4096;

    @Override
    public String name() { return "url"; }

    @Override
    public void detect(Text text, List<Finding> out) {
        String s = text.value();
        int n = s.length();
        int i = 0;
        int scheme = s.indexOf("://");
        while (i < n) {
            int start = -1;
            if (scheme >= 0 && scheme < i) scheme = s.indexOf("://", i);
            int hit = scheme;
            int www = www(s, i, hit < 0 ? n : hit);
            if (www >= 0 && Chars.boundaryBefore(s, www)) {
                start = www;
            } else if (hit >= 0) {
                int b = hit;
                while (b > 0 && hit - b < 12 && (Chars.isAsciiLetter(s.charAt(b - 1)) || s.charAt(b - 1) == '+')) b--;
                if (b < hit && Chars.boundaryBefore(s, b)) start = b;
                else { i = hit + 3; continue; }
            } else if (www >= 0) {
                i = www + 4;
                continue;
            } else {
                return;
            }
            int e = start;
            while (e < n && e - start < MAX && isUrlChar(s.charAt(e))) e++;
            while (e > start && isTrailing(s.charAt(e - 1))) e--;
            // a closing parenthesis belongs to the URL only if it opened one
            if (e > start && s.charAt(e - 1) == ')' && indexOf(s, '(', start, e) < 0) e--;
            int sl = schemeLength(s, start);
            int hostStart = s.startsWith("://", start + sl) ? start + sl + 3 : start;
            // loopback addresses name this machine, not anyone's site ("curl http://localhost:8080/health")
            boolean loopback = s.startsWith("localhost", hostStart) || s.startsWith("127.0.0.1", hostStart) || s.startsWith("[::1]", hostStart);
            if (e - hostStart >= 4 && !loopback && indexOf(s, '.', hostStart, e) > 0) {
                out.add(new Finding(EntityType.URL, start, e, 0.9));
            }
            i = Math.max(e, start + 1);
        }
    }

    /**
     * First "www." (any case) in s[from, to): {@code Chars.indexOfIgnoreCase(s, "www.", from, to)}, found through
     * the dots (String.indexOf is vectorised) instead of lower-casing every char; only 'w' and 'W' lower-case to 'w'.
     */
    static int www(String s, int from, int to) {
        if (from + 3 >= to) return -1;
        for (int d = s.indexOf('.', from + 3, to); d >= 0; d = d + 1 < to ? s.indexOf('.', d + 1, to) : -1) {
            if ((s.charAt(d - 1) | 0x20) == 'w' && (s.charAt(d - 2) | 0x20) == 'w' && (s.charAt(d - 3) | 0x20) == 'w') return d - 3;
        }
        return -1;
    }

    private static int indexOf(String s, char c, int from, int to) {
        for (int k = from; k < to; k++) if (s.charAt(k) == c) return k;
        return -1;
    }

    private static int schemeLength(String s, int start) {
        int k = start;
        while (k < s.length() && (Chars.isAsciiLetter(s.charAt(k)) || s.charAt(k) == '+')) k++;
        return k - start;
    }

    static boolean isUrlChar(char c) {
        return c > ' ' && c != '"' && c != '<' && c != '>' && c != '`' && c != '{' && c != '}' && c != '|'
                && c != '\\' && c != '^' && c < 0x7f || (c > 0x9f && Character.isLetterOrDigit(c));
    }

    private static boolean isTrailing(char c) {
        return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' || c == ']'
                || c == '*';
    }
}
