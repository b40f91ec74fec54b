package dev.bastion.inspect;

import java.util.Set;

/**
 * HIPAA Safe Harbor generalisations (45 CFR 164.514(b)(2)): ZIP codes keep their first three digits (000 for the
 * three-digit areas with 20,000 people or fewer), ages over 89 become "90+", dates keep only the year. Types without
 * a generalisation are masked.
 */
final class Generalizer {
    private Generalizer() {}

    /** Three-digit ZIP areas of 20,000 or fewer people (HHS de-identification guidance, 2000 census). */
    private static final Set<String> SMALL_ZIP3 = Set.of("036", "059", "063", "102", "203", "556", "692", "790", "821",
            "823", "830", "831", "878", "879", "884", "890", "893");

    static String generalise(EntityType type, String value) {
        return switch (type) {
            case ZIP_CODE -> zip(value);
            case AGE -> age(value);
            case DATE, DATE_OF_BIRTH -> year(value);
            default -> "[" + type.name() + "]";
        };
    }

    private static String zip(String v) {
        String d = DigitRuns.digitsOf(v, 0, v.length());
        if (d.length() < 5) return "[ZIP_CODE]";
        String z3 = d.substring(0, 3);
        return (SMALL_ZIP3.contains(z3) ? "000" : z3) + "**";
    }

    private static String age(String v) {
        String d = DigitRuns.digitsOf(v, 0, v.length());
        if (d.isEmpty() || d.length() > 3) return "[AGE]";
        return Integer.parseInt(d) > 89 ? "90+" : v;
    }

    /** The four-digit year in the date, else a mask (a two-digit year is ambiguous). */
    private static String year(String v) {
        for (int i = 0; i + 4 <= v.length(); i++) {
            if (Chars.boundaryBefore(v, i) && Chars.digitCount(v, i, i + 4) == 4 && Chars.boundaryAfter(v, i + 4)
                    && DateAgeDetector.year(v, i)) {
                return v.substring(i, i + 4);
            }
        }
        return "[DATE]";
    }
}
