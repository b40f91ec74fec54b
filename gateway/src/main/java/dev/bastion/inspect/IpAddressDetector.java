package dev.bastion.inspect;

import java.util.List;

/** IP_ADDRESS: dotted-quad IPv4 (octets ≤ 255) and IPv6 (RFC 4291 text forms, incl. "::" and embedded IPv4). */
final class IpAddressDetector implements Detector {
    @Override
    public String name() { return "ip_address"; }

    @Override
    public void detect(Text text, List<Finding> out) {
        if (mayContain(text.value())) scan(text, out);
    }

    /**
     * The prefilter: most prompts hold no address and then cost two vectorised {@code indexOf} walks instead of a
     * walk over every word start. Sound because every IPv4 that {@link #isV4} accepts has a '.' between two digits,
     * and every IPv6 that {@link #isV6} accepts has a ':' followed by ':' (the "::" form) or by a hex digit (the
     * next group); InspectShortcutsTest checks that {@link #scan} finds nothing more over the varied corpus.
     */
    static boolean mayContain(String s) {
        int n = s.length();
        for (int d = s.indexOf('.'); d >= 0 && d + 1 < n; d = s.indexOf('.', d + 1)) {
            if (d > 0 && Chars.isDigit(s.charAt(d - 1)) && Chars.isDigit(s.charAt(d + 1))) return true;
        }
        for (int c = s.indexOf(':'); c >= 0 && c + 1 < n; c = s.indexOf(':', c + 1)) {
            char next = s.charAt(c + 1);
            if (next == ':' || Chars.isHex(next)) return true;
        }
        return false;
    }

    /** The full scan, without the prefilter. */
    void scan(Text text, List<Finding> out) {
        String s = text.value();
        int n = s.length();
        // An address starts with a hex digit after a boundary (a word start) or with ':' (found by indexOf): only
        // those positions are tried; the others would be stepped over one by one with the same outcome.
        WordStartCursor candidates = new WordStartCursor(text, ":");
        int i = 0;
        while (i < n) {
            i = candidates.next(i);
            if (i >= n) return;
            char c = s.charAt(i);
            if (!(Chars.isHex(c) || c == ':') || !startBoundary(s, i)) { i++; continue; }
            // skipWord(s, i) at a word start is its word end (at least i + 1)
            int atWord = candidates.wordEndAt(i);
            int wordEnd = atWord >= 0 ? Math.max(atWord, i + 1) : -1;
            int e = i;
            boolean sep = false;
            while (e < n && e - i < 45) {
                char d = s.charAt(e);
                if (d == ':' || d == '.') sep = true;
                else if (!Chars.isHex(d)) break;
                e++;
            }
            if (!sep) {
                // neither form without a '.' or ':': the outcome of both branches below is a skipped word
                i = wordEnd >= 0 ? wordEnd : skipWord(s, i);
                continue;
            }
            while (e > i && (s.charAt(e - 1) == '.' || s.charAt(e - 1) == ':' && !(e - 2 >= i && s.charAt(e - 2) == ':'))) e--;
            if (e < n && (Chars.isLetterOrDigit(s.charAt(e)))) { i = skipWord(s, i); continue; }
            int consumed = e;
            if (isV4(s, i, e)) {
                out.add(new Finding(EntityType.IP_ADDRESS, i, e, 0.9));
            } else if (isV6(s, i, e)) {
                out.add(new Finding(EntityType.IP_ADDRESS, i, e, 0.9));
            } else {
                consumed = skipWord(s, i);
            }
            i = Math.max(consumed, i + 1);
        }
    }

    private static int skipWord(String s, int i) {
        int k = i;
        while (k < s.length() && Chars.isLetterOrDigit(s.charAt(k))) k++;
        return Math.max(k, i + 1);
    }

    private static boolean startBoundary(String s, int i) {
        if (i == 0) return true;
        char p = s.charAt(i - 1);
        return !Chars.isLetterOrDigit(p) && p != '.' && p != ':' && p != '_' && p != '-';
    }

    static boolean isV4(String s, int from, int to) {
        int parts = 0;
        int k = from;
        while (k < to) {
            int st = k;
            int v = 0;
            while (k < to && Chars.isDigit(s.charAt(k)) && k - st < 3) { v = v * 10 + (s.charAt(k) - '0'); k++; }
            if (k == st || v > 255 || (k - st > 1 && s.charAt(st) == '0')) return false;
            parts++;
            if (k == to) break;
            if (s.charAt(k) != '.' || parts == 4) return false;
            k++;
        }
        return parts == 4 && k == to;
    }

    static boolean isV6(String s, int from, int to) {
        int groups = 0;
        boolean doubleColon = false;
        int k = from;
        if (to - from < 2) return false;
        if (s.startsWith("::", k)) { doubleColon = true; k += 2; if (k == to) return false; }
        else if (s.charAt(k) == ':') return false;
        while (k < to) {
            int st = k;
            while (k < to && Chars.isHex(s.charAt(k)) && k - st < 4) k++;
            if (k < to && s.charAt(k) == '.') {
                // embedded IPv4 in the last 32 bits
                int e = st;
                while (e < to && s.charAt(e) != ':') e++;
                if (e != to || !isV4(s, st, to)) return false;
                groups += 2;
                k = to;
                break;
            }
            if (k == st) return false;
            groups++;
            if (k == to) break;
            if (s.charAt(k) != ':') return false;
            k++;
            if (k < to && s.charAt(k) == ':') {
                if (doubleColon) return false;
                doubleColon = true;
                k++;
                if (k == to) break;
            } else if (k == to) {
                return false;
            }
        }
        return doubleColon ? groups <= 7 && groups >= 1 : groups == 8;
    }
}
