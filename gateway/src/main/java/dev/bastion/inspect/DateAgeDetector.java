package dev.bastion.inspect;

import java.util.List;

/**
 * DATE_OF_BIRTH, DATE and AGE. Dates: numeric (m/d/y, d.m.y, y-m-d, optionally with a time), with month names
 * ("5 January 1990", "Jan. 5th, 1990", "March 2020") and years after a temporal preposition ("in 1990"); a date
 * after a birth context word is a DATE_OF_BIRTH. Ages: a number 0–125 with an age context ("42-year-old",
 * "aged 42", "turned 42"). Works on the shared tokens, a constant window around each.
 */
final class DateAgeDetector implements Detector {
    private static final String[] MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december"};
    /** Month indices by the lower-case first letter, in calendar order; null for other letters. */
    private static final int[][] BY_FIRST = new int[128][];
    /**
     * By lower-case first letter × 16 + length (3–9): whether a month's full name has that length, and whether a
     * short form ("Jan", "Sept", which month() accepts only with a capital) does.
     */
    private static final boolean[] FULL_FITS = new boolean[128 * 16], SHORT_FITS = new boolean[128 * 16];

    static {
        for (int m = 0; m < 12; m++) {
            char f = MONTHS[m].charAt(0);
            int[] old = BY_FIRST[f];
            int[] grown = old == null ? new int[1] : java.util.Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = m;
            BY_FIRST[f] = grown;
            // lengths month() can accept for this first letter: the full name; three letters or "sept" capitalised
            FULL_FITS[f * 16 + MONTHS[m].length()] = true;
            SHORT_FITS[f * 16 + 3] = true;
            if (m == 8) SHORT_FITS[f * 16 + 4] = true;
        }
    }
    private static final String[] YEAR_BEFORE = {"in", "since", "from", "during", "until", "till", "by", "year", "of",
            "circa", "born", "around", "before", "after", "early", "late", "mid"};
    private static final String[] BIRTH = {"born", "birth", "dob", "d.o.b", "birthday", "b."};
    private static final String[] AGE_AFTER = {"-year-old", " year old", " years old", " year-old", "-years-old",
            " yo ", " y/o", " y.o", " years of age", "-yo", " yrs old", " yr old"};
    private static final String[] AGE_BEFORE = {"aged ", "age ", "age: ", "age of ", "turn ", "turned ", "turns ",
            "turning ", "when he was ", "when she was ", "when i was ", "when they were ", "age:", "ages "};

    @Override
    public String name() { return "date_age"; }

    @Override
    public void detect(Text t, List<Finding> out) {
        String s = t.value();
        int n = t.tokenCount();
        int resume = 0;
        for (int i = 0; i < n; i++) {
            int st = t.tokenStart(i);
            if (st < resume) continue;
            int en = t.tokenEnd(i);
            int len = en - st;
            if (t.isDigits(i)) {
                int end = numericDate(s, st, en);
                if (end > 0) { resume = add(out, s, st, end, 0.85); continue; }
                end = dayMonthYear(t, i);
                if (end > 0) { resume = add(out, s, st, end, 0.85); continue; }
                if (len <= 3 && age(s, st, en)) {
                    out.add(new Finding(EntityType.AGE, st, en, 0.85));
                    resume = en;
                    continue;
                }
                if (len == 4 && year(s, st) && i > 0 && prev(t, i, YEAR_BEFORE) && !(en < s.length() && s.charAt(en) == '%')) {
                    resume = add(out, s, st, en, 0.6);
                }
                continue;
            }
            int m = month(t, i);
            if (m >= 0) {
                int end = monthFirst(t, i);
                if (end > 0) resume = add(out, s, st, end, 0.8);
            }
        }
    }

    private static int add(List<Finding> out, String s, int st, int end, double score) {
        boolean birth = Chars.precededBy(s, st, 40, BIRTH);
        out.add(new Finding(birth ? EntityType.DATE_OF_BIRTH : EntityType.DATE, st, end, birth ? Math.max(score, 0.9) : score));
        return end;
    }

    private static boolean prev(Text t, int i, String[] words) {
        for (String w : words) if (t.tokenIs(i - 1, w)) return true;
        return false;
    }

    static boolean year(String s, int st) {
        int y = Integer.parseInt(s, st, st + 4, 10);
        return y >= 1900 && y <= 2099;
    }

    /** d/m/y, m/d/y, y-m-d etc. starting at a digit token; returns the end (time included) or -1. */
    private static int numericDate(String s, int st, int en) {
        int n = s.length();
        if (en >= n) return -1;
        char sep = s.charAt(en);
        if (sep != '/' && sep != '-' && sep != '.') return -1;
        int[] v = new int[3];
        int[] l = new int[3];
        int k = st;
        for (int part = 0; part < 3; part++) {
            int ps = k;
            while (k < n && Chars.isDigit(s.charAt(k)) && k - ps < 5) k++;
            l[part] = k - ps;
            if (l[part] == 0 || l[part] > 4) return -1;
            v[part] = Integer.parseInt(s, ps, k, 10);
            if (part < 2) {
                if (k >= n || s.charAt(k) != sep) return -1;
                k++;
            }
        }
        if (k < n && (Chars.isLetterOrDigit(s.charAt(k)) || (s.charAt(k) == sep && k + 1 < n && Chars.isDigit(s.charAt(k + 1))))) return -1;
        boolean ok;
        if (l[0] == 4) ok = l[1] <= 2 && l[2] <= 2 && v[1] >= 1 && v[1] <= 12 && v[2] >= 1 && v[2] <= 31;
        else ok = l[0] <= 2 && l[1] <= 2 && (l[2] == 4 || l[2] == 2) && v[0] >= 1 && v[1] >= 1
                && ((v[0] <= 12 && v[1] <= 31) || (v[1] <= 12 && v[0] <= 31));
        if (!ok) return -1;
        if (sep == '.' && l[2] == 2) return -1; // 1.2.34 is a version number more often than a date
        // optional time: " 12:45" / "T12:45:18"
        if (k + 5 < n && (s.charAt(k) == ' ' || s.charAt(k) == 'T') && Chars.isDigit(s.charAt(k + 1))) {
            int q = k + 1;
            int colons = 0;
            while (q < n && q - k < 16 && (Chars.isDigit(s.charAt(q)) || s.charAt(q) == ':' || s.charAt(q) == '.')) {
                if (s.charAt(q) == ':') colons++;
                q++;
            }
            if (colons >= 1 && Chars.isDigit(s.charAt(q - 1))) k = q;
        }
        return k;
    }

    private static int month(Text t, int i) {
        int len = t.tokenEnd(i) - t.tokenStart(i);
        if (len < 3 || len > 9) return -1;
        String s = t.value();
        int st = t.tokenStart(i);
        char c0 = s.charAt(st);
        char first = Chars.lower(c0);
        // most words are rejected here, without the loop below and its hard-to-predict branches
        if (first >= 128 || !FULL_FITS[first * 16 + len] && !(SHORT_FITS[first * 16 + len] && Character.isUpperCase(c0))) return -1;
        int[] candidates = BY_FIRST[first];
        if (candidates == null) return -1;
        // cheap tests first: the length must fit, and a short form needs a capital
        for (int m : candidates) {
            String name = MONTHS[m];
            if (len == name.length() && s.regionMatches(true, st, name, 0, len)) return m;
            if ((len == 3 || (len == 4 && m == 8)) && Character.isUpperCase(c0)
                    && s.regionMatches(true, st, name, 0, len)) return m;
        }
        return -1;
    }

    /** Token i is a day number: "5 January 1990", "5th of March". */
    private static int dayMonthYear(Text t, int i) {
        String s = t.value();
        int st = t.tokenStart(i);
        int en = t.tokenEnd(i);
        if (en - st > 2) {
            if (!ordinal(s, st, en)) return -1;
        }
        int j = i + 1;
        if (j < t.tokenCount() && t.tokenIs(j, "of")) j++;
        if (j >= t.tokenCount() || month(t, j) < 0 || t.tokenStart(j) - en > 5) return -1;
        int day = leadingNumber(s, st, en);
        if (day < 1 || day > 31) return -1;
        int end = t.tokenEnd(j);
        if (end < s.length() && s.charAt(end) == '.') end++;
        int y = j + 1;
        if (y < t.tokenCount() && t.isDigits(y) && t.tokenEnd(y) - t.tokenStart(y) == 4 && t.tokenStart(y) - end <= 3) end = t.tokenEnd(y);
        return end;
    }

    /** Token i is a month name: "January 5, 1990", "Jan 1990", "March 5th". Needs a day or a year. */
    private static int monthFirst(Text t, int i) {
        String s = t.value();
        int end = t.tokenEnd(i);
        if (end < s.length() && s.charAt(end) == '.') end++;
        int j = i + 1;
        boolean any = false;
        if (j < t.tokenCount() && t.tokenStart(j) - end <= 2) {
            int js = t.tokenStart(j);
            int je = t.tokenEnd(j);
            int d = leadingNumber(s, js, je);
            if (d >= 1 && d <= 31 && (je - js <= 2 || ordinal(s, js, je))) {
                end = je;
                any = true;
                j++;
                if (end < s.length() && s.charAt(end) == ',') end++;
            }
        }
        if (j < t.tokenCount() && t.isDigits(j) && t.tokenEnd(j) - t.tokenStart(j) == 4 && t.tokenStart(j) - end <= 2
                && year(s, t.tokenStart(j))) {
            end = t.tokenEnd(j);
            any = true;
        }
        // a bare capitalised "May"/"March" with a number only counts when the month is written out or capitalised
        return any && Character.isUpperCase(s.charAt(t.tokenStart(i))) ? trimComma(s, t.tokenStart(i), end) : -1;
    }

    private static int trimComma(String s, int st, int end) {
        while (end > st && (s.charAt(end - 1) == ',' || s.charAt(end - 1) == '.')) end--;
        return end;
    }

    private static boolean ordinal(String s, int st, int en) {
        int k = st;
        while (k < en && Chars.isDigit(s.charAt(k))) k++;
        if (k - st < 1 || k - st > 2 || en - k != 2) return false;
        String suf = s.substring(k, en).toLowerCase(java.util.Locale.ROOT);
        return suf.equals("st") || suf.equals("nd") || suf.equals("rd") || suf.equals("th");
    }

    private static int leadingNumber(String s, int st, int en) {
        int k = st;
        int v = 0;
        while (k < en && Chars.isDigit(s.charAt(k)) && k - st < 3) { v = v * 10 + (s.charAt(k) - '0'); k++; }
        return k == st ? -1 : v;
    }

    private static boolean age(String s, int st, int en) {
        int v = Integer.parseInt(s, st, en, 10);
        if (v > 125) return false;
        // cheap pre-check: every pattern has a 'y' word right after or a cue word ending in a space or ':' right before
        boolean afterY = en + 1 < s.length() && (s.charAt(en) == ' ' || s.charAt(en) == '-')
                && (s.charAt(en + 1) == 'y' || s.charAt(en + 1) == 'Y');
        boolean beforeCue = st >= 4 && (s.charAt(st - 1) == ' ' || s.charAt(st - 1) == ':') && "edfsngEDFSNG:".indexOf(s.charAt(st - 2)) >= 0;
        if (!afterY && !beforeCue) return false;
        for (String a : AGE_AFTER) {
            if (s.regionMatches(true, en, a, 0, a.length())) return true;
            if (a.endsWith(" ") && en + a.length() - 1 == s.length() && s.regionMatches(true, en, a, 0, a.length() - 1)) return true;
        }
        for (String b : AGE_BEFORE) {
            int from = st - b.length();
            if (from >= 0 && s.regionMatches(true, from, b, 0, b.length())) {
                return b.startsWith("turn") || b.startsWith("when") ? !followedByUnit(s, en) : true;
            }
        }
        return false;
    }

    /** "turned 5 minutes late" is not an age. */
    private static boolean followedByUnit(String s, int en) {
        for (String u : new String[]{" minute", " hour", " day", " week", " month", " percent", "%", " degree", " page", " time"}) {
            if (s.regionMatches(true, en, u, 0, u.length())) return true;
        }
        return false;
    }
}
