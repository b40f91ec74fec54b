package dev.bastion.inspect;

import java.util.List;
import java.util.Locale;

/**
 * SECRET: cloud and API keys by their published prefixes (AWS, Google, GitHub, GitLab, Slack, Stripe, OpenAI,
 * Anthropic), JWTs, bearer/basic credentials, PEM private-key blocks, passwords in URLs ("user:pass@host") and
 * values assigned to secret-looking names ({@code password=…}, {@code "api_key": "…"}, {@code DB_PASSWORD: …}).
 * One forward pass; each candidate is examined in a bounded window.
 */
final class SecretDetector implements Detector {
    private static final String[] NAME_PARTS = {"password", "passwd", "passphrase", "pwd", "secret", "token", "apikey",
            "api_key", "api-key", "access_key", "accesskey", "private_key", "credential", "auth"};
    private static final int MAX_VALUE = 256;
    private static final String[] AWS = {"AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"};
    private static final String[] STRIPE = {"sk_live_", "sk_test_", "rk_live_", "rk_test_"};
    /**
     * The first two chars with which {@link #token} can find a key (its own early returns, as a table): one
     * well-predicted test per word instead of a chain of tests on the first and second letter.
     */
    private static final boolean[] PREFIX2 = new boolean[128 * 128];

    static {
        for (char c2 = 'A'; c2 <= 'Z'; c2++) PREFIX2['A' * 128 + c2] = true;
        for (char c2 : "ilh".toCharArray()) PREFIX2['g' * 128 + c2] = true;
        PREFIX2['x' * 128 + 'o'] = true;
        PREFIX2['s' * 128 + 'k'] = true;
        PREFIX2['r' * 128 + 'k'] = true;
        PREFIX2['e' * 128 + 'y'] = true;
    }

    /** Off only in the test that checks the quiet-word shortcut against the general identifier steps. */
    private final boolean quietShortcut;

    SecretDetector() { this(true); }

    SecretDetector(boolean quietShortcut) { this.quietShortcut = quietShortcut; }

    @Override
    public String name() { return "secret"; }

    @Override
    public void detect(Text text, List<Finding> out) {
        String s = text.value();
        int n = s.length();
        int pemEnd = -2;
        // Work happens only at a PEM header or at an ASCII letter after a boundary (a word start): the scan jumps
        // from one such position to the next instead of stepping over every char in between.
        WordStartCursor candidates = new WordStartCursor(text, "-----BEGIN ");
        int i = 0;
        while (i < n) {
            i = candidates.next(i);
            if (i >= n) return;
            char c = s.charAt(i);
            if (c == '-' && s.startsWith("-----BEGIN ", i)) {
                int lineEnd = boundedIndexOf(s, "-----", i + 11, Math.min(n, i + 80));
                if (lineEnd > 0 && s.regionMatches(lineEnd - 11, "PRIVATE KEY", 0, 11)) {
                    if (pemEnd != -1 && pemEnd < i) pemEnd = s.indexOf("-----END ", i);
                    int end;
                    if (pemEnd > 0) {
                        int close = boundedIndexOf(s, "-----", pemEnd + 9, Math.min(n, pemEnd + 90));
                        end = close > 0 && close - pemEnd < 80 ? close + 5 : pemEnd + 9;
                    } else {
                        end = lineEnd + 5;
                        while (end < n && (Chars.isB64(s.charAt(end)) || s.charAt(end) == '=' || Character.isWhitespace(s.charAt(end)))) end++;
                    }
                    out.add(new Finding(EntityType.SECRET, i, end, 0.99));
                    i = end;
                    continue;
                }
            }
            if (!Chars.isAsciiLetter(c) || !boundary(s, i)) { i++; continue; }
            int end = i + 2 < n && s.charAt(i + 1) < 128 && PREFIX2[c * 128 + s.charAt(i + 1)] ? token(s, i) : i;
            if (end > i) {
                out.add(new Finding(EntityType.SECRET, i, end, 0.95));
                i = end;
                continue;
            }
            // an identifier: secret-looking names take the value after "=" / ":" / " is "
            // at a word start the letters and digits up to its word end are word chars: the scan resumes there
            int atWord = candidates.wordEndAt(i);
            if (quietShortcut && atWord >= 0 && c != 'B' && c != 'b' && atWord - i <= 64 && quietAfter(s, atWord)) {
                i = atWord; // what the general steps below conclude for such a word (FastPathEquivalenceTest)
                continue;
            }
            int idEnd = atWord >= 0 ? Math.min(atWord, i + 64) : i;
            while (idEnd < n && idEnd - i < 64 && (Chars.isWordChar(s.charAt(idEnd)) || s.charAt(idEnd) == '-' || s.charAt(idEnd) == '.')) idEnd++;
            if (assignmentAhead(s, idEnd) && secretName(s, i, idEnd)) {
                int[] v = assignedValue(s, idEnd);
                if (v != null) {
                    out.add(new Finding(EntityType.SECRET, v[0], v[1], 0.9));
                    i = v[1];
                    continue;
                }
            }
            if (c == 'B' || c == 'b') {
                int[] v = scheme(s, i, idEnd);
                if (v != null) { out.add(new Finding(EntityType.SECRET, v[0], v[1], 0.9)); i = v[1]; continue; }
            }
            if (idEnd + 3 < n && s.charAt(idEnd) == ':' && s.startsWith("://", idEnd)) {
                int[] v = urlPassword(s, idEnd + 3);
                if (v != null) { out.add(new Finding(EntityType.SECRET, v[0], v[1], 0.95)); i = v[1]; continue; }
            }
            i = Math.max(idEnd, i + 1);
        }
    }

    /**
     * Chars that, right after a word, end the identifier and start neither an assignment ("=", ":", a quote, " is ")
     * nor "://": an ASCII char other than a word char, '-', '.', a quote, a space, '=' and ':'.
     */
    private static final boolean[] QUIET_AFTER_WORD = new boolean[128];
    /** Chars that, after a word and one space, start neither a further space nor an assignment ('=', ':', "is "). */
    private static final boolean[] QUIET_AFTER_SPACE = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            QUIET_AFTER_WORD[c] = !Chars.isWordChar(c) && "-.\"' =:".indexOf(c) < 0;
            QUIET_AFTER_SPACE[c] = " =:iI".indexOf(c) < 0;
        }
    }

    /**
     * True when the identifier from a word start that ends at {@code wordEnd} is just that word and no assignment
     * or URL follows it: the identifier steps then find nothing and resume at the word end. Most words of prose
     * end like this ("word, " / "word next"), so this one or two table loads replace those steps.
     */
    private static boolean quietAfter(String s, int wordEnd) {
        int n = s.length();
        if (wordEnd >= n) return true;
        char e = s.charAt(wordEnd);
        if (e != ' ') return e < 128 && QUIET_AFTER_WORD[e];
        if (wordEnd + 1 >= n) return true;
        char f = s.charAt(wordEnd + 1);
        return f >= 128 || QUIET_AFTER_SPACE[f];
    }

    private static boolean boundary(String s, int i) {
        return i == 0 || !(Chars.isWordChar(s.charAt(i - 1)) || s.charAt(i - 1) == '-');
    }

    /** A key with a known prefix starting at i: returns its end, or i. */
    static int token(String s, int i) {
        char c = s.charAt(i);
        // every prefix below is at least three chars: a shorter word, or a second char that no prefix of this
        // first letter has, returns before any startsWith (a vectorised compare, costly per word)
        if (i + 2 >= s.length()) return i;
        char c2 = s.charAt(i + 1);
        switch (c) {
            case 'A' -> {
                if (!Chars.isUpper(c2)) return i;
                for (String p : AWS) {
                    if (s.startsWith(p, i)) return exact(s, i, 20, SecretDetector::upperAlnum);
                }
                if (s.startsWith("AIza", i)) return exact(s, i, 39, SecretDetector::b64url);
            }
            case 'g' -> {
                if (c2 != 'i' && c2 != 'l' && c2 != 'h') return i;
                if (s.startsWith("github_pat_", i)) return atLeast(s, i, 11, 22, SecretDetector::word);
                if (s.startsWith("glpat-", i)) return atLeast(s, i, 6, 20, SecretDetector::b64url);
                if (s.length() > i + 4 && s.startsWith("gh", i) && "pousr".indexOf(s.charAt(i + 2)) >= 0
                        && s.charAt(i + 3) == '_') return atLeast(s, i, 4, 36, Chars::isAlnum);
            }
            case 'x' -> {
                if (c2 != 'o') return i;
                if (s.startsWith("xox", i) && s.length() > i + 4 && "baprse".indexOf(s.charAt(i + 3)) >= 0
                        && s.charAt(i + 4) == '-') return atLeast(s, i, 5, 10, SecretDetector::b64url);
            }
            case 's', 'r' -> {
                if (c2 != 'k') return i;
                for (String p : STRIPE) {
                    if (s.startsWith(p, i)) return atLeast(s, i, p.length(), 16, Chars::isAlnum);
                }
                if (s.startsWith("sk-", i)) return atLeast(s, i, 3, 20, SecretDetector::b64url);
            }
            case 'e' -> {
                if (c2 == 'y' && s.startsWith("eyJ", i)) return jwt(s, i);
            }
            default -> { }
        }
        return i;
    }

    private interface CharTest { boolean test(char c); }

    private static boolean upperAlnum(char c) { return Chars.isUpper(c) || Chars.isDigit(c); }

    private static boolean b64url(char c) { return Chars.isAlnum(c) || c == '-' || c == '_'; }

    private static boolean word(char c) { return Chars.isAlnum(c) || c == '_'; }

    private static int exact(String s, int i, int len, CharTest t) {
        int k = i;
        while (k < s.length() && k - i < len + 1 && t.test(s.charAt(k))) k++;
        return k - i == len && !Chars.isAlnum(at(s, k)) ? k : i;
    }

    private static int atLeast(String s, int i, int prefix, int min, CharTest t) {
        int k = i + prefix;
        while (k < s.length() && k - i < 512 && t.test(s.charAt(k))) k++;
        return k - i - prefix >= min ? k : i;
    }

    private static char at(String s, int k) { return k < s.length() ? s.charAt(k) : ' '; }

    /** header.payload.signature, each base64url; header and payload at least 10 chars. */
    private static int jwt(String s, int i) {
        int k = i;
        int[] lens = new int[3];
        for (int part = 0; part < 3; part++) {
            int st = k;
            while (k < s.length() && k - st < 8192 && b64url(s.charAt(k))) k++;
            lens[part] = k - st;
            if (part < 2) {
                if (at(s, k) != '.') return i;
                k++;
            }
        }
        return lens[0] >= 10 && lens[1] >= 10 && s.startsWith("eyJ", i + lens[0] + 1) ? k : i;
    }

    private static boolean secretName(String s, int from, int to) {
        if (to - from < 3) return false;
        String id = s.substring(from, to).toLowerCase(Locale.ROOT);
        for (String p : NAME_PARTS) {
            int at = id.indexOf(p);
            if (at < 0) continue;
            if (p.equals("auth") && !(id.endsWith("auth") || id.contains("auth_") || id.contains("authorization"))) continue;
            if (p.equals("token") && (id.endsWith("tokens") || id.contains("max_token") || id.contains("tokenizer"))) return false;
            return true;
        }
        return false;
    }

    /** After a secret-looking name: optional quote, "=", ":", ":=", "=>" or " is ", then the value. */
    private static int[] assignedValue(String s, int k) {
        int n = s.length();
        if (k < n && (s.charAt(k) == '"' || s.charAt(k) == '\'')) k++;
        int spaces = 0;
        while (k < n && s.charAt(k) == ' ' && spaces < 3) { k++; spaces++; }
        if (s.startsWith(":=", k) || s.startsWith("=>", k)) k += 2;
        else if (k < n && (s.charAt(k) == '=' || s.charAt(k) == ':')) k++;
        else if (s.regionMatches(true, k, "is ", 0, 3)) k += 3;
        else return null;
        spaces = 0;
        while (k < n && (s.charAt(k) == ' ' || s.charAt(k) == '\t') && spaces < 8) { k++; spaces++; }
        if (k >= n) return null;
        char q = s.charAt(k);
        int st = k;
        int e;
        if (q == '"' || q == '\'' || q == '`') {
            st = k + 1;
            e = st;
            while (e < n && e - st < MAX_VALUE && s.charAt(e) != q && s.charAt(e) != '\n') e++;
            if (e >= n || s.charAt(e) != q) return null;
        } else {
            e = st;
            while (e < n && e - st < MAX_VALUE && !Character.isWhitespace(s.charAt(e)) && ",;\"'`)}]".indexOf(s.charAt(e)) < 0) e++;
            while (e > st && ".".indexOf(s.charAt(e - 1)) >= 0) e--;
        }
        if (e - st < 4 || placeholder(s, st, e)) return null;
        // "Authorization: Bearer <token>": the credential is the word after the scheme
        if (q != '"' && q != '\'' && q != '`' && e < n && s.charAt(e) == ' ' && (e - st == 6 && s.regionMatches(true, st, "bearer", 0, 6)
                || e - st == 5 && s.regionMatches(true, st, "basic", 0, 5) || e - st == 5 && s.regionMatches(true, st, "token", 0, 5))) {
            int k2 = e + 1;
            int e2 = k2;
            while (e2 < n && e2 - k2 < 8192 && !Character.isWhitespace(s.charAt(e2)) && ",;\"'`".indexOf(s.charAt(e2)) < 0) e2++;
            return e2 - k2 >= 8 ? new int[]{k2, e2} : null;
        }
        return new int[]{st, e};
    }

    private static boolean placeholder(String s, int st, int e) {
        String v = s.substring(st, e).toLowerCase(Locale.ROOT);
        // a reference to where the secret lives is not the secret
        if (v.contains("env.") || v.contains("environ") || v.contains("getenv") || v.contains("()") || v.startsWith("secrets.")) return true;
        if (v.startsWith("${") || v.startsWith("<") || v.startsWith("{{") || v.startsWith("%(") || v.startsWith("$")) return true;
        if (v.equals("null") || v.equals("none") || v.equals("true") || v.equals("false") || v.equals("undefined")
                || v.equals("required") || v.equals("optional") || v.equals("string") || v.equals("empty")) return true;
        for (int k = 0; k < v.length(); k++) if (v.charAt(k) != '*' && v.charAt(k) != 'x' && v.charAt(k) != '.') return false;
        return true;
    }

    /** "Bearer <token>" / "Basic <base64>": the credential after the scheme word. */
    private static int[] scheme(String s, int i, int idEnd) {
        int len = idEnd - i;
        boolean bearer = len == 6 && s.regionMatches(true, i, "bearer", 0, 6);
        boolean basic = len == 5 && s.regionMatches(true, i, "basic", 0, 5)
                && Chars.precededBy(s, i, 24, "authorization");
        if (!bearer && !basic) return null;
        int k = idEnd;
        if (at(s, k) != ' ') return null;
        k++;
        int st = k;
        while (k < s.length() && k - st < 8192 && (Chars.isB64(s.charAt(k)) || s.charAt(k) == '.' || s.charAt(k) == '~')) k++;
        while (k < s.length() && s.charAt(k) == '=' && k - st < 8200) k++;
        if (k - st < 12) return null;
        boolean hasDigit = false;
        for (int q = st; q < k && !hasDigit; q++) hasDigit = Chars.isDigit(s.charAt(q));
        return hasDigit ? new int[]{st, k} : null;
    }

    /** "scheme://user:password@host": the password. */
    private static int[] urlPassword(String s, int k) {
        int n = s.length();
        int st = k;
        while (k < n && k - st < 128 && s.charAt(k) != ':' && s.charAt(k) != '@' && s.charAt(k) != '/' && !Character.isWhitespace(s.charAt(k))) k++;
        if (k >= n || s.charAt(k) != ':' || k == st) return null;
        int ps = k + 1;
        int e = ps;
        while (e < n && e - ps < 256 && s.charAt(e) != '@' && s.charAt(e) != '/' && !Character.isWhitespace(s.charAt(e))) e++;
        if (e >= n || s.charAt(e) != '@' || e == ps) return null;
        return new int[]{ps, e};
    }

    private static int boundedIndexOf(String s, String needle, int from, int to) {
        for (int k = from; k + needle.length() <= to; k++) if (s.startsWith(needle, k)) return k;
        return -1;
    }

    /** Cheap pre-check before the name is looked at: is an assignment operator or " is " next? */
    private static boolean assignmentAhead(String s, int k) {
        int n = s.length();
        if (k < n && (s.charAt(k) == '"' || s.charAt(k) == '\'')) k++;
        int spaces = 0;
        while (k < n && s.charAt(k) == ' ' && spaces < 3) { k++; spaces++; }
        if (k >= n) return false;
        char c = s.charAt(k);
        return c == '=' || c == ':' || (spaces > 0 && (c == 'i' || c == 'I') && s.regionMatches(true, k, "is ", 0, 3));
    }
}
