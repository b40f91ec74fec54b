package dev.bastion.inspect;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.util.List;

/**
 * PHONE_NUMBER (FAX_NUMBER next to a "fax" context word): digit runs of 7–15 digits, scored by libphonenumber
 * validity (international with "+", else the US and a list of common regions), context words and group
 * formatting. libphonenumber only ever sees a candidate of at most 24 chars, so its regexes run on bounded input.
 */
final class PhoneDetector implements Detector {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final String[] REGIONS = {"GB", "DE", "FR", "IT", "ES", "NL", "BE", "SE", "NO", "DK", "FI",
            "PL", "PT", "BR", "AU", "CA", "CH", "AT", "IE", "NZ", "IS", "HU", "CZ", "IN", "MX", "IL", "ZA"};
    static final String[] BEFORE = {"phone", "tel", "mobile", "cell", "call", "fax", "number", "reach",
            "contact", "text me", "sms", "whatsapp", "dial", "ring", "registered", "answering", "desk", "office",
            "messages to", "ph:", "ph.", "hotline", "landline"};
    static final PrecedingWords BEFORE_WORDS = PrecedingWords.of(BEFORE);
    private static final java.util.Set<String> UNITS = java.util.Set.of("apt", "suite", "unit", "box", "ste", "room", "flat");
    private static final String[] AFTER = {"office", "fax", "mobile", "cell", "home", "work", "ext"};

    static {
        // libphonenumber loads each region's metadata on first use: load ours now, outside any time budget
        for (String r : REGIONS) warm("0123456789", r);
        warm("+1 650 253 0000", null);
    }

    private static void warm(String number, String region) {
        try {
            UTIL.isValidNumber(UTIL.parse(number, region == null ? "US" : region));
        } catch (NumberParseException e) {
            // warm-up only
        }
    }

    @Override
    public String name() { return "phone"; }

    @Override
    public void detect(Text text, List<Finding> out) {
        String s = text.value();
        DigitRuns.scan(text, " -./", true, 24, (start, end, count) -> {
            if (count < 7 || count > 15) return;
            if (looksLikeDate(s, start, end) || IpAddressDetector.isV4(s, start, end) || postcodeShape(s, start, end)) return;
            // nine digits after an SSN word are an SSN ("my social is 123456789"), not a phone number
            if (count == 9 && SsnDetector.ssnContext(s, start) && !BEFORE_WORDS.before(s, start, 16)) return;
            if (gluedToLetters(s, start, end) || idBefore(s, start) && !BEFORE_WORDS.before(s, start, 32)) return;
            String cand = s.substring(start, end);
            boolean intl = cand.charAt(0) == '+';
            int groups = groups(cand);
            boolean formatted = groups >= 2 || cand.indexOf('(') >= 0;
            boolean after = followedBy(s, end, 10, AFTER);
            boolean context = after || BEFORE_WORDS.before(s, start, 32);
            double cap = 0.95;
            // "Apt. 728 013 2506 Cegielniana", "190 3241 Fabriksstigen": a unit or house number before a street name
            if (!intl && cand.indexOf('(') < 0 && (houseNumberShape(s, start, end) || unitBefore(s, start))
                    && !after && !precededOnLine(s, start, 32, BEFORE)) cap = 0.4;
            // seven or eight digits without a phone word or "+": as often a postcode ("123-4567", "1234-567") or
            // a reference number as a local phone number
            if (count <= 8 && !context && !intl) cap = Math.min(cap, 0.45);
            double score = 0.3;
            if (context) score += 0.35;
            if (formatted) score += 0.15;
            if (groups >= 5 && !context) score -= 0.2;
            // validity can only raise the score: when the cap keeps it below 0.5 anyway, libphonenumber is skipped
            if (cap >= 0.5) {
                int validity = validity(cand, intl, formatted || context);
                score += validity == 2 ? 0.5 : validity == 1 ? 0.3 : 0;
            }
            score = Math.min(cap, score);
            boolean fax = Chars.precededBy(s, start, 16, "fax") || followedBy(s, end, 6, "fax");
            out.add(new Finding(fax ? EntityType.FAX_NUMBER : EntityType.PHONE_NUMBER, start, end, score));
        });
    }

    /** 2: valid international or US number; 1: valid in one of the other regions; 0: not valid. */
    private static int validity(String cand, boolean intl, boolean tryRegions) {
        try {
            if (intl) return UTIL.isValidNumber(UTIL.parse(cand, null)) ? 2 : 0;
            if (UTIL.isValidNumber(UTIL.parse(cand, "US"))) return 2;
            if (!tryRegions) return 0;
            for (String r : REGIONS) {
                if (UTIL.isValidNumber(UTIL.parse(cand, r))) return 1;
            }
        } catch (NumberParseException e) {
            return 0;
        }
        return 0;
    }

    private static int groups(String c) {
        int g = 1;
        for (int i = 1; i < c.length(); i++) {
            char ch = c.charAt(i);
            if ((ch == ' ' || ch == '-' || ch == '.') && Chars.isDigit(c.charAt(i - 1))) g++;
        }
        return g;
    }

    /** Like {@link Chars#precededBy} but only within the candidate's own line. */
    static boolean precededOnLine(String s, int pos, int window, String... lowerWords) {
        int from = Math.max(0, pos - window);
        for (int k = pos - 1; k >= from; k--) if (s.charAt(k) == '\n') { from = k + 1; break; }
        for (String w : lowerWords) if (Chars.indexOfIgnoreCase(s, w, from, pos) >= 0) return true;
        return false;
    }

    static boolean followedBy(String s, int pos, int window, String... lowerWords) {
        int to = Math.min(s.length(), pos + window);
        for (int k = pos; k < to; k++) if (s.charAt(k) == '\n') { to = k; break; }
        for (String w : lowerWords) if (Chars.indexOfIgnoreCase(s, w, pos, to) >= 0) return true;
        return false;
    }

    /**
     * Space-separated groups followed on the same line by a capitalised word of two or more lower-case letters
     * ("4860 6548 Núcleo"): numbers in front of a street name, not a phone number (which ends a phrase or is
     * followed by a label such as "office" or "fax").
     */
    static boolean houseNumberShape(String s, int start, int end) {
        if (s.indexOf(' ', start) < 0 || s.indexOf(' ', start) >= end) return false;
        int k = end;
        if (k < s.length() && s.charAt(k) == ',') return false;
        while (k < s.length() && s.charAt(k) == ' ') k++;
        return k > end && k + 2 < s.length() && Character.isUpperCase(s.charAt(k))
                && Character.isLowerCase(s.charAt(k + 1)) && Character.isLowerCase(s.charAt(k + 2));
    }

    /** The word just before the candidate is a unit word: "Suite 958 078 9582", "Apt. 930 69221 405". */
    static boolean unitBefore(String s, int start) {
        int k = start;
        while (k > 0 && (s.charAt(k - 1) == ' ' || s.charAt(k - 1) == '.' || s.charAt(k - 1) == '#') && start - k < 3) k--;
        int e = k;
        while (k > 0 && Chars.isAsciiLetter(s.charAt(k - 1)) && e - k < 6) k--;
        if (e - k < 3 || k > 0 && Chars.isLetterOrDigit(s.charAt(k - 1))) return false;
        return UNITS.contains(s.substring(k, e).toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Digits that are part of a longer code or an id: glued to letters ("1535-709-Q", "CNU-68597"), after a "#"
     * ("Order #2834115230"), or after a word that introduces an id ("invoice", "build", "case", "SKU").
     */
    static boolean gluedToLetters(String s, int start, int end) {
        if (end + 1 < s.length() && (s.charAt(end) == '-' || s.charAt(end) == '/') && Character.isLetter(s.charAt(end + 1))) {
            return !followedBy(s, end + 1, 8, AFTER); // "555-0134-Office", "…-Fax" are labels, not code
        }
        return start > 1 && s.charAt(start - 1) == '-' && Character.isLetter(s.charAt(start - 2))
                && (start < 3 || Character.isLetter(s.charAt(start - 3)));
    }

    static boolean idBefore(String s, int start) {
        int k = start;
        if (k > 0 && s.charAt(k - 1) == '#') return true;
        while (k > 0 && s.charAt(k - 1) == ' ') k--;
        int e = k;
        while (k > 0 && Character.isLetter(s.charAt(k - 1)) && e - k < 12) k--;
        return e > k && ID_WORDS.contains(s.substring(k, e).toLowerCase(java.util.Locale.ROOT));
    }

    private static final java.util.Set<String> ID_WORDS = java.util.Set.of("order", "invoice", "sku", "case", "ticket",
            "tracking", "build", "run", "pipeline", "job", "catalogue", "catalog", "item", "lot", "part", "ref",
            "reference", "isbn", "commit", "issue", "version", "release", "batch", "sample", "serial", "model", "product");

    /** Brazilian CEP "57601-930": five digits, a dash, three digits. */
    static boolean postcodeShape(String s, int start, int end) {
        return end - start == 9 && s.charAt(start + 5) == '-' && Chars.digitCount(s, start, end) == 8;
    }

    /** 2018-02-24, 24.02.2018, 2018.02.24: dates share the digit-run shape. */
    static boolean looksLikeDate(String s, int start, int end) {
        int len = end - start;
        if (len < 10 || len > 10 && s.charAt(start + 10) != ' ') return false;
        char a = s.charAt(start + 4);
        if ((a == '-' || a == '.' || a == '/') && s.charAt(start + 7) == a) return true;
        char b = s.charAt(start + 2);
        return (b == '.' || b == '-' || b == '/') && s.charAt(start + 5) == b;
    }
}
