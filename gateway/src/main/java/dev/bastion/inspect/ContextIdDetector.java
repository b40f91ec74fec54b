package dev.bastion.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Identifiers that are only recognisable by the words before them: MEDICAL_RECORD_NUMBER, HEALTH_PLAN_ID,
 * US_DRIVER_LICENSE, US_PASSPORT, ACCOUNT_NUMBER, LICENSE_NUMBER, VEHICLE_ID, DEVICE_ID and ZIP_CODE. A context
 * phrase is found through a table of first words; the identifier must start within a short window after it.
 * VINs (check digit) and MAC addresses are also found without context.
 */
final class ContextIdDetector implements Detector {

    private enum Shape { ID, DIGITS, PASSPORT, ZIP, PLATE }

    private record Rule(EntityType type, Shape shape, int min, int max, double score, String[] phrases) {}

    private static final List<Rule> RULES = List.of(
            new Rule(EntityType.MEDICAL_RECORD_NUMBER, Shape.ID, 5, 15, 0.96, new String[]{"mrn", "medical record",
                    "med rec", "patient id", "patient number", "patient no", "chart number", "chart no", "record number",
                    "hospital number", "case number"}),
            new Rule(EntityType.HEALTH_PLAN_ID, Shape.ID, 6, 20, 0.96, new String[]{"member id", "member number",
                    "health plan", "insurance id", "insurance number", "policy number", "policy no", "subscriber id",
                    "medicare", "medicaid", "beneficiary", "group number", "plan id", "insurance policy"}),
            new Rule(EntityType.US_DRIVER_LICENSE, Shape.ID, 5, 16, 0.96, new String[]{"driver's license",
                    "drivers license", "driver license", "driver's licence", "driving licence", "driving license",
                    "dl#", "dl #", "dl no", "dl number", "driver’s license"}),
            new Rule(EntityType.US_PASSPORT, Shape.PASSPORT, 6, 9, 0.96, new String[]{"passport"}),
            new Rule(EntityType.ACCOUNT_NUMBER, Shape.DIGITS, 6, 20, 0.96, new String[]{"account number", "account no",
                    "account #", "acct", "a/c", "account:", "bank account", "routing number"}),
            new Rule(EntityType.LICENSE_NUMBER, Shape.ID, 5, 15, 0.96, new String[]{"license number", "licence number",
                    "license no", "licence no", "license #", "certificate number", "dea number", "npi",
                    "registration number", "permit number"}),
            new Rule(EntityType.VEHICLE_ID, Shape.PLATE, 2, 17, 0.96, new String[]{"license plate", "licence plate",
                    "number plate", "plate number", "vin", "vehicle id", "vehicle identification"}),
            new Rule(EntityType.DEVICE_ID, Shape.ID, 6, 40, 0.96, new String[]{"serial number", "serial no", "s/n",
                    "device id", "imei", "udid", "device serial", "pacemaker", "implant serial", "mac address"}),
            new Rule(EntityType.ZIP_CODE, Shape.ZIP, 5, 10, 0.96, new String[]{"zip", "zip code", "zipcode", "postal code",
                    "postcode", "post code"}));

    private static final WordTable FIRST;
    /**
     * By the first two letters of every context phrase, the lengths of their first words (bit min(length, 31)): most
     * tokens are rejected without hashing them, by their first two letters or their length.
     */
    private static final int[] KEY_LENGTHS = new int[128 * 128];

    static {
        WordTable.Builder b = WordTable.builder();
        for (int r = 0; r < RULES.size(); r++) {
            for (String p : RULES.get(r).phrases()) {
                int end = 0;
                while (end < p.length() && Chars.isLetterOrDigit(p.charAt(end))) end++;
                if (end == 0) end = p.length();
                b.add(p.substring(0, end), 1 << r);
                KEY_LENGTHS[p.charAt(0) * 128 + (p.length() > 1 ? p.charAt(1) : 0)] |= 1 << Math.min(end, 31);
            }
        }
        FIRST = b.build();
    }

    /** The context-word rules of the token s[st, en): its part before an apostrophe looked up when its first two letters and length fit a key. */
    private static int contextRules(String s, int st, int en) {
        char a = Chars.lower(s.charAt(st));
        char b = en - st > 1 ? Chars.lower(s.charAt(st + 1)) : 0;
        if (a >= 128 || b >= 128) return 0;
        int lengths = KEY_LENGTHS[a * 128 + b];
        if (lengths == 0) return 0;
        int k = apostrophe(s, st, en);
        // a key of another length cannot match (lower-casing keeps the length: one char for one char)
        return (lengths >>> Math.min(k - st, 31) & 1) != 0 ? FIRST.get(s, st, k) : 0;
    }

    @Override
    public String name() { return "context_id"; }

    @Override
    public void detect(Text t, List<Finding> out) {
        String s = t.value();
        int n = t.tokenCount();
        int resume = 0;
        for (int i = 0; i < n; i++) {
            int st = t.tokenStart(i);
            if (st < resume) continue;
            int en = t.tokenEnd(i);
            int rules = contextRules(s, st, en);
            if (rules != 0) {
                Finding f = afterContext(s, st, rules);
                if (f != null) { out.add(f); resume = f.end(); continue; }
            }
            // context-free shapes
            int uk = Chars.isUpper(s.charAt(st)) ? ukPostcode(s, st) : -1; // starts with a capital or is none
            if (uk > 0) {
                out.add(new Finding(EntityType.ZIP_CODE, st, uk, 0.7));
                resume = uk;
            } else if (en - st == 17 && vin(s, st)) {
                out.add(new Finding(EntityType.VEHICLE_ID, st, en, 0.85));
            } else if (en - st == 2 && Chars.isHex(s.charAt(st)) && Chars.isHex(s.charAt(st + 1))) {
                int e = mac(s, st);
                if (e > 0) { out.add(new Finding(EntityType.DEVICE_ID, st, e, 0.8)); resume = e; }
            } else if (en - st == 2 && Chars.isUpper(s.charAt(st)) && Chars.isUpper(s.charAt(st + 1)) && i + 1 < n
                    && US_STATES.contains(s.substring(st, en))) {
                int zs = t.tokenStart(i + 1);
                int ze = zip(s, zs);
                if (ze > 0 && zs - en <= 2 && s.charAt(en) == ' ') {
                    out.add(new Finding(EntityType.ZIP_CODE, zs, ze, 0.75));
                    resume = ze;
                }
            }
        }
    }

    /** "driver's" is looked up as "driver". */
    private static int apostrophe(String s, int st, int en) {
        for (int k = st + 1; k < en; k++) if (s.charAt(k) == '\'' || s.charAt(k) == '\u2019') return k;
        return en;
    }

    private static final java.util.Set<String> US_STATES = java.util.Set.of("AL", "AK", "AZ", "AR", "CA", "CO", "CT",
            "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO",
            "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX",
            "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC");

    private Finding afterContext(String s, int st, int rules) {
        for (int r = 0; r < RULES.size(); r++) {
            if ((rules & (1 << r)) == 0) continue;
            Rule rule = RULES.get(r);
            for (String p : rule.phrases()) {
                if (!s.regionMatches(true, st, p, 0, p.length())) continue;
                int pe = st + p.length();
                if (pe < s.length() && Character.isLetter(s.charAt(pe)) && !p.endsWith(" ")) {
                    // "zip" must not match "zipper"; allow plural/possessive of whole words only
                    if (!(s.charAt(pe) == 's' && Chars.boundaryAfter(s, pe + 1))) continue;
                }
                Finding f = idAfter(s, pe, rule);
                if (f != null) return f;
            }
        }
        return null;
    }

    /** Skips filler ("number", "no.", "#", "is", ":", "of the patient") up to 30 chars, then reads the identifier. */
    private static Finding idAfter(String s, int k, Rule rule) {
        int n = s.length();
        int limit = Math.min(n, k + 30);
        while (k < limit) {
            char c = s.charAt(k);
            if (c == ' ' || c == ':' || c == '#' || c == '=' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\t' || c == '\'' || c == '\u2019') {
                k++;
                continue;
            }
            if (Character.isLetter(c)) {
                int we = k;
                while (we < n && Character.isLetter(s.charAt(we))) we++;
                String w = s.substring(k, we).toLowerCase(Locale.ROOT);
                if (FILLER.contains(w) && we < limit) { k = we; continue; }
            }
            break;
        }
        if (k >= n) return null;
        int st = k;
        if (rule.shape() == Shape.ZIP) {
            int e = zip(s, st);
            return e > 0 ? new Finding(rule.type(), st, e, rule.score()) : null;
        }
        int e = st;
        int digits = 0;
        int alnum = 0;
        while (e < n && e - st < rule.max() + 4) {
            char c = s.charAt(e);
            if (Chars.isAlnum(c)) { alnum++; if (Chars.isDigit(c)) digits++; e++; continue; }
            if ((c == '-' || (c == ' ' && rule.shape() == Shape.PLATE)) && e + 1 < n && Chars.isAlnum(s.charAt(e + 1))
                    && rule.shape() != Shape.PASSPORT) { e++; continue; }
            break;
        }
        if (e < n && Chars.isLetterOrDigit(s.charAt(e))) return null;
        if (alnum < rule.min() || alnum > rule.max()) return null;
        boolean ok = switch (rule.shape()) {
            case ID -> digits >= Math.min(4, alnum - 1);
            case DIGITS -> digits >= alnum - 2 && digits >= 6;
            case PASSPORT -> (digits == alnum && (alnum == 9 || alnum == 8 || alnum == 7))
                    || (alnum == 9 && digits == 8 && Chars.isAsciiLetter(s.charAt(st)));
            case PLATE -> digits >= 1;
            case ZIP -> false;
        };
        return ok ? new Finding(rule.type(), st, e, rule.score()) : null;
    }

    private static final java.util.Set<String> FILLER = java.util.Set.of("number", "num", "no", "nr", "is", "id",
            "of", "the", "patient", "patients", "my", "our", "his", "her", "their", "your", "card", "code", "was",
            "it", "are", "be", "reads", "ends", "with", "in", "and", "plus");

    /** US ZIP (12345, 12345-6789) or Canadian postcode (A1A 1A1); returns end or -1. */
    static int zip(String s, int st) {
        int n = s.length();
        int k = st;
        while (k < n && Chars.isDigit(s.charAt(k)) && k - st < 6) k++;
        if (k - st == 5) {
            if (k + 5 <= n && s.charAt(k) == '-' && Chars.digitCount(s, k + 1, k + 5) == 4) k += 5;
            return Chars.boundaryAfter(s, k) ? k : -1;
        }
        if (k - st == 4 && Chars.boundaryAfter(s, k)) return k; // many countries use 4-digit postcodes
        if (st + 7 <= n && Chars.isUpper(s.charAt(st)) && Chars.isDigit(s.charAt(st + 1)) && Chars.isUpper(s.charAt(st + 2))
                && s.charAt(st + 3) == ' ' && Chars.isDigit(s.charAt(st + 4)) && Chars.isUpper(s.charAt(st + 5))
                && Chars.isDigit(s.charAt(st + 6)) && Chars.boundaryAfter(s, st + 7)) return st + 7;
        return -1;
    }

    /** UK postcode "SW1A 1AA", "PR5 1UX", "BB33 8WE": outward code, space, digit and two letters. */
    static int ukPostcode(String s, int st) {
        int n = s.length();
        int k = st;
        int letters = 0;
        while (k < n && Chars.isUpper(s.charAt(k)) && letters < 3) { k++; letters++; }
        if (letters < 1 || letters > 2 || k >= n || !Chars.isDigit(s.charAt(k))) return -1;
        k++;
        if (k < n && (Chars.isDigit(s.charAt(k)) || Chars.isUpper(s.charAt(k)))) k++;
        if (k + 4 > n || s.charAt(k) != ' ' || !Chars.isDigit(s.charAt(k + 1)) || !Chars.isUpper(s.charAt(k + 2))
                || !Chars.isUpper(s.charAt(k + 3))) return -1;
        return Chars.boundaryAfter(s, k + 4) && Chars.boundaryBefore(s, st) ? k + 4 : -1;
    }

    private static final String VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
    private static final int[] VIN_WEIGHTS = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};

    /** ISO 3779 VIN with the North American check digit (position 9). */
    static boolean vin(String s, int st) {
        int sum = 0;
        int digits = 0;
        for (int i = 0; i < 17; i++) {
            char c = s.charAt(st + i);
            if (VIN_CHARS.indexOf(c) < 0) return false;
            if (Chars.isDigit(c)) digits++;
            sum += translit(c) * VIN_WEIGHTS[i];
        }
        if (digits < 4 || digits == 17) return false;
        int check = sum % 11;
        char want = check == 10 ? 'X' : (char) ('0' + check);
        return s.charAt(st + 8) == want;
    }

    private static int translit(char c) {
        if (Chars.isDigit(c)) return c - '0';
        return "0123456789.ABCDEFGH..JKLMN.P.R..STUVWXYZ".indexOf(c) % 10;
    }

    /** 00:1A:2B:3C:4D:5E or with dashes: returns end or -1. */
    private static int mac(String s, int st) {
        int n = s.length();
        if (st + 17 > n) return -1;
        char sep = s.charAt(st + 2);
        if (sep != ':' && sep != '-') return -1;
        for (int g = 0; g < 6; g++) {
            int p = st + g * 3;
            if (!Chars.isHex(s.charAt(p)) || !Chars.isHex(s.charAt(p + 1))) return -1;
            if (g < 5 && s.charAt(p + 2) != sep) return -1;
        }
        return Chars.boundaryAfter(s, st + 17) && (st + 17 >= n || s.charAt(st + 17) != sep) ? st + 17 : -1;
    }

    static List<String> types() {
        List<String> out = new ArrayList<>();
        for (Rule r : RULES) out.add(r.type().name());
        return out;
    }
}
