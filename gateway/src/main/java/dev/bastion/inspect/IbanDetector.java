package dev.bastion.inspect;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** IBAN_CODE: country code, check digits and BBAN of the country's registered length, verified by ISO 7064 mod 97. */
final class IbanDetector implements Detector {
    /** Lengths per the SWIFT IBAN registry. */
    private static final Map<String, Integer> LENGTHS = new HashMap<>();

    static {
        String table = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 "
                + "DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 "
                + "IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 "
                + "MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 "
                + "SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20";
        for (String e : table.split(" ")) LENGTHS.put(e.substring(0, 2), Integer.parseInt(e.substring(2)));
    }

    @Override
    public String name() { return "iban"; }

    @Override
    public void detect(Text text, List<Finding> out) {
        String s = text.value();
        int n = s.length();
        // a country code after a boundary is a word start: only those positions are tried
        int[] ws = text.wordStarts();
        int wn = text.wordStartCount();
        int from = 0;
        for (int k = 0; k < wn; k++) {
            int i = ws[k];
            if (i + 15 > n) break;
            if (i < from) continue;
            // the check digits are the rare part: test them first
            if (!Chars.isDigit(s.charAt(i + 2)) || !Chars.isDigit(s.charAt(i + 3))) continue;
            char c0 = s.charAt(i);
            char c1 = s.charAt(i + 1);
            if (!Chars.isAsciiLetter(c0) || !Chars.isAsciiLetter(c1) || !Chars.boundaryBefore(s, i)) continue;
            String cc = ("" + c0 + c1).toUpperCase(java.util.Locale.ROOT);
            Integer want = LENGTHS.get(cc);
            if (want == null) continue;
            int end = collect(s, i, want);
            if (end < 0 || !Chars.boundaryAfter(s, end)) continue;
            if (mod97(s, i, end)) {
                out.add(new Finding(EntityType.IBAN_CODE, i, end, 0.98));
                from = end;
            }
        }
    }

    /** End index after {@code want} alphanumerics starting at i (single spaces or dashes allowed between), or -1. */
    private static int collect(String s, int i, int want) {
        int got = 0;
        int k = i;
        while (k < s.length() && got < want) {
            char c = s.charAt(k);
            if (Chars.isAlnum(c)) { got++; k++; continue; }
            if ((c == ' ' || c == '-') && got >= 4 && k + 1 < s.length() && Chars.isAlnum(s.charAt(k + 1))
                    && Chars.isAlnum(s.charAt(k - 1))) { k++; continue; }
            return -1;
        }
        return got == want ? k : -1;
    }

    private static boolean mod97(String s, int from, int to) {
        StringBuilder b = new StringBuilder(40);
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (Chars.isAlnum(c)) b.append(Character.toUpperCase(c));
        }
        String r = b.substring(4) + b.substring(0, 4);
        int mod = 0;
        for (int k = 0; k < r.length(); k++) {
            char c = r.charAt(k);
            int v = Chars.isDigit(c) ? c - '0' : c - 'A' + 10;
            mod = v >= 10 ? (mod * 100 + v) % 97 : (mod * 10 + v) % 97;
        }
        return mod == 1;
    }
}
