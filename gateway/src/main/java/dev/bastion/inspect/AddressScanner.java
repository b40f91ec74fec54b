package dev.bastion.inspect;

/**
 * The address part of {@link GazetteerEntityRecognizer}: a house number next to a street word or a known street
 * ending ("11 Botley Road", "Harjukuja 54", "10 rue Claire Laroche"), a unit ("Apt. 864"), and the short lines that
 * follow ("Suite 727", "Charleroi", "Belgium 42940"). Works on token indices; each look-around is bounded.
 */
final class AddressScanner {
    private final GazetteerEntityRecognizer g;

    AddressScanner(GazetteerEntityRecognizer g) {
        this.g = g;
    }

    static final String[] STREET_ENDINGS = WordTable.lines("/dev/bastion/inspect/gazetteer/street_words.txt")
            .stream().filter(w -> w.startsWith("-")).map(w -> w.substring(1)).toArray(String[]::new);

    /** "707 Lauren Dale\n", "39191 Darmstadt," : a number, 1–4 capitalised words, then a line end or comma. */
    int numberThenNames(Text t, int i) {
        String s = t.value();
        int n = t.tokenCount();
        if (t.tokenEnd(i) - t.tokenStart(i) > 6) return i;
        int j = i + 1;
        while (j < n && j <= i + 4 && sameLine(s, t.tokenEnd(j - 1), t.tokenStart(j))
                && Character.isUpperCase(s.charAt(t.tokenStart(j))) && !t.allCaps(j)) {
            if ((g.flags(t, j) & GazetteerEntityRecognizer.UNIT) != 0 && j > i + 1) break;
            j++;
        }
        if (j == i + 1) return i;
        // "437 Kochanowskiego Apt. 940": a unit after the street name
        if (j < n && (g.flags(t, j) & GazetteerEntityRecognizer.UNIT) != 0) {
            int e = extend(t, j);
            if (e > j && lineEnd(s, t.tokenEnd(e - 1))) return e;
        }
        if (!lineEnd(s, t.tokenEnd(j - 1))) return i;
        return j;
    }

    /** "Zeynepbaan 2\n", "Incrocio Rosalino 304,": 1–3 capitalised words, a house number, then a line end or comma. */
    int namesThenNumber(Text t, int i) {
        String s = t.value();
        int n = t.tokenCount();
        int j = i;
        while (j < n && j < i + 3 && (Character.isUpperCase(s.charAt(t.tokenStart(j))) || (g.flags(t, j) & (GazetteerEntityRecognizer.STREET | GazetteerEntityRecognizer.PARTICLE)) != 0)
                && !Chars.isDigit(s.charAt(t.tokenStart(j)))) {
            if (j > i && !sameLine(s, t.tokenEnd(j - 1), t.tokenStart(j))) return i;
            j++;
        }
        if (j >= n || j == i || !sameLine(s, t.tokenEnd(j - 1), t.tokenStart(j))) return i;
        int len = t.tokenEnd(j) - t.tokenStart(j);
        if (!Chars.isDigit(s.charAt(t.tokenStart(j))) || len > 4 || !t.isDigits(j) && len > 4) return i;
        if (t.tokenStart(j) - t.tokenEnd(j - 1) > 2) return i;
        if (GazetteerEntityRecognizer.ordinaryWord(g.flags(t, i)) && (g.flags(t, i) & GazetteerEntityRecognizer.STREET) == 0 && j == i + 1) return i;
        int e = extend(t, j + 1);
        return lineEnd(s, t.tokenEnd(e - 1)) ? e : i;
    }

    /** End of line, comma, or end of text after optional spaces/periods. */
    static boolean lineEnd(String s, int pos) {
        int k = pos;
        while (k < s.length() && (s.charAt(k) == ' ' || s.charAt(k) == '.')) k++;
        return k >= s.length() || s.charAt(k) == '\n' || s.charAt(k) == ',' || s.charAt(k) == '\r' || s.charAt(k) == ';';
    }

    /**
     * Lines after a street line that still belong to the address ("Suite 727", "Charleroi", "Belgium 42940",
     * "Buckshire, WY 80555", "6350 BU"): short, no lower-case words unless the line has a number.
     */
    int continuation(Text t, int j) {
        String s = t.value();
        int n = t.tokenCount();
        for (int line = 0; line < 4 && j < n; line++) {
            int gapFrom = t.tokenEnd(j - 1);
            int gapTo = t.tokenStart(j);
            boolean newline = false;
            for (int k = gapFrom; k < gapTo; k++) {
                char c = s.charAt(k);
                if (c == '\n') newline = true;
                else if (c != ' ' && c != ',' && c != '>' && c != '\r' && c != '\t' && c != '?' && c != '.') return j;
            }
            if (gapTo - gapFrom > 8) return j;
            int k = j;
            int lower = 0;
            int digits = 0;
            int prefixEnd = -1; // end of the leading run of numbers and capitalised words, when a lower-case word follows
            while (k < n && (k == j || sameLineLoose(s, t.tokenEnd(k - 1), t.tokenStart(k)))) {
                char c = s.charAt(t.tokenStart(k));
                if (Chars.isDigit(c)) digits += t.tokenEnd(k) - t.tokenStart(k);
                else if (!Character.isUpperCase(c) && (g.flags(t, k) & GazetteerEntityRecognizer.PARTICLE) == 0) {
                    if (lower == 0) prefixEnd = k;
                    lower++;
                }
                k++;
                if (k - j > 6) break;
            }
            boolean endsLine = k >= n || s.indexOf('\n', t.tokenEnd(k - 1)) == nextNonSpace(s, t.tokenEnd(k - 1));
            if (!newline && line > 0) return j;
            if (digits > 6) return j;
            if (lower > (digits > 0 ? 1 : 0) || !endsLine || k - j > 6) {
                // "74544 Landskrona after the concert": keep the postcode-and-town prefix, then stop
                if (prefixEnd > j && newline && Chars.digitCount(s, t.tokenStart(j), t.tokenEnd(prefixEnd - 1)) > 0) return prefixEnd;
                return j;
            }
            j = k;
        }
        return j;
    }

    static int nextNonSpace(String s, int k) {
        while (k < s.length() && (s.charAt(k) == ' ' || s.charAt(k) == ',' || s.charAt(k) == '.')) k++;
        return k;
    }

    static boolean sameLineLoose(String s, int from, int to) {
        if (to - from > 3) return false;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c == '\n' || c == ':' || c == '@' || c == '?' || c == '!' || c == '/' && to - from == 1) return false;
            if (c == '.' && k + 1 < to && s.charAt(k + 1) == ' ' && !abbreviation(s, from)) return false;
        }
        return true;
    }

    /** House number first: "11 Botley Road", "6750 Koskikatu 25 Apt. 864". Returns the end token or i. */
    int address(Text t, int i) {
        String s = t.value();
        int n = t.tokenCount();
        int len = t.tokenEnd(i) - t.tokenStart(i);
        if (len > 6 || !Chars.isDigit(s.charAt(t.tokenEnd(i) - 1)) && len > 5) return i;
        for (int j = i + 1; j < n && j <= i + 4; j++) {
            if (!sameLine(s, t.tokenEnd(j - 1), t.tokenStart(j))) return i;
            char c = s.charAt(t.tokenStart(j));
            if (!Character.isLetter(c)) return i;
            int fj = g.flags(t, j);
            if ((fj & (GazetteerEntityRecognizer.STREET | GazetteerEntityRecognizer.STREET_SUFFIX)) != 0 && j > i + 1 || streetEnding(s, t.tokenStart(j), t.tokenEnd(j))) {
                return extend(t, j + 1);
            }
            // "10 rue Claire Laroche", "41 chemin Boulanger": a street word before the name
            if (j == i + 1 && (fj & GazetteerEntityRecognizer.STREET) != 0) {
                int k = j + 1;
                while (k < n && k < j + 3 && (g.flags(t, k) & GazetteerEntityRecognizer.PARTICLE) != 0 && sameLine(s, t.tokenEnd(k - 1), t.tokenStart(k))) k++;
                if (k < n && Character.isUpperCase(s.charAt(t.tokenStart(k))) && sameLine(s, t.tokenEnd(k - 1), t.tokenStart(k))) {
                    return extend(t, g.run(t, k));
                }
            }
            if (!Character.isUpperCase(c) && j == i + 1) return i;
        }
        return i;
    }

    /** Street word first: "Rue de Piétrain 371", "Harjukuja 54", "ul. Więckowskiego Stefana 28". */
    int streetFirst(Text t, int i) {
        String s = t.value();
        int n = t.tokenCount();
        boolean lead = (g.flags(t, i) & GazetteerEntityRecognizer.STREET) != 0 && !GazetteerEntityRecognizer.ordinaryWord(g.flags(t, i) & ~GazetteerEntityRecognizer.STREET) || streetEnding(s, t.tokenStart(i), t.tokenEnd(i));
        if (!lead) return i;
        for (int j = i + 1; j < n && j <= i + 4; j++) {
            if (!sameLine(s, t.tokenEnd(j - 1), t.tokenStart(j))) return i;
            if (t.isDigits(j) || Chars.isDigit(s.charAt(t.tokenStart(j))) && t.tokenEnd(j) - t.tokenStart(j) <= 5) {
                return t.tokenEnd(j) - t.tokenStart(j) <= 5 ? extend(t, j + 1) : i;
            }
            if (!Character.isLetter(s.charAt(t.tokenStart(j)))) return i;
        }
        return i;
    }

    /** After the street: a house number and "Apt. 864" / "Suite 727" on the same line. */
    int extend(Text t, int j) {
        String s = t.value();
        int n = t.tokenCount();
        if (j < n && t.isDigits(j) && sameLine(s, t.tokenEnd(j - 1), t.tokenStart(j)) && t.tokenEnd(j) - t.tokenStart(j) <= 5
                && t.tokenStart(j) - t.tokenEnd(j - 1) <= 2) j++;
        if (j + 1 < n && (g.flags(t, j) & GazetteerEntityRecognizer.UNIT) != 0 && t.tokenStart(j) - t.tokenEnd(j - 1) <= 3
                && Chars.isDigit(s.charAt(t.tokenStart(j + 1))) && t.tokenStart(j + 1) - t.tokenEnd(j) <= 3) j += 2;
        return j;
    }

    static boolean sameLine(String s, int from, int to) {
        if (to - from > 3) return false;
        for (int k = from; k < to; k++) {
            if (s.charAt(k) == '\n') return false;
            if (s.charAt(k) == '.' && k + 1 < to && !abbreviation(s, from)) return false;
        }
        return true;
    }

    /** "ul.", "pl.", "St.", "Klappstr.": a short word or a "-str" ending before the period. */
    static boolean abbreviation(String s, int end) {
        int k = end;
        while (k > 0 && end - k < 5 && Character.isLetter(s.charAt(k - 1))) k--;
        int len = end - k;
        if (len >= 1 && len <= 3 && (k == 0 || !Character.isLetter(s.charAt(k - 1)))) return true;
        return end >= 3 && s.regionMatches(true, end - 3, "str", 0, 3);
    }

    static final String ENDING_LAST_CHARS;

    static {
        StringBuilder b = new StringBuilder();
        for (String e : STREET_ENDINGS) {
            char c = Character.toLowerCase(e.charAt(e.length() - 1));
            if (b.indexOf(String.valueOf(c)) < 0) b.append(c).append(Character.toUpperCase(c));
        }
        ENDING_LAST_CHARS = b.toString();
    }

    static boolean streetEnding(String s, int st, int en) {
        int len = en - st;
        if (len < 6 || !Character.isUpperCase(s.charAt(st)) || ENDING_LAST_CHARS.indexOf(s.charAt(en - 1)) < 0) return false;
        for (String e : STREET_ENDINGS) {
            if (len > e.length() + 2 && s.regionMatches(true, en - e.length(), e, 0, e.length())) return true;
        }
        return false;
    }
}
