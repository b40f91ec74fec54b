package dev.bastion.inspect;

import java.util.List;

/** CREDIT_CARD: 12–19 digits (spaces or dashes between groups) passing Luhn and belonging to a known issuer range. */
final class CreditCardDetector implements Detector {
    @Override
    public String name() { return "credit_card"; }

    @Override
    public void detect(Text text, List<Finding> out) {
        String s = text.value();
        DigitRuns.scan(text, " -", false, 40, (start, end, count) -> {
            if (count < 12 || count > 19) return;
            String d = DigitRuns.digitsOf(s, start, end);
            if (!DigitRuns.luhn(d)) return;
            if (issuer(d)) {
                out.add(new Finding(EntityType.CREDIT_CARD, start, end, 0.95));
            } else if (count >= 14 && Chars.precededBy(s, start, 40, "card", "visa", "amex", "mastercard", "cc ")) {
                out.add(new Finding(EntityType.CREDIT_CARD, start, end, 0.7));
            }
        });
    }

    /** Issuer identification ranges (ISO/IEC 7812 prefixes as published by the networks) with their lengths. */
    static boolean issuer(String d) {
        int len = d.length();
        int p2 = Integer.parseInt(d.substring(0, 2));
        int p3 = Integer.parseInt(d.substring(0, 3));
        int p4 = Integer.parseInt(d.substring(0, 4));
        int p6 = Integer.parseInt(d.substring(0, 6));
        if (d.charAt(0) == '4') return len == 13 || len == 16 || len == 19;                  // Visa
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len == 16;           // Mastercard
        if (p2 == 34 || p2 == 37) return len == 15;                                           // Amex
        if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) {
            return len >= 16 && len <= 19;                                                    // Discover
        }
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39 || p4 == 3095) {
            return len >= 14 && len <= 19;                                                    // Diners
        }
        if (p4 >= 3528 && p4 <= 3589) return len >= 16 && len <= 19;                         // JCB
        if (p4 == 2131 || p4 == 1800) return len == 15;                                       // JCB (old 15-digit)
        if (p4 >= 2200 && p4 <= 2204) return len >= 16 && len <= 19;                          // Mir
        if (p2 == 62 || p2 == 81) return len >= 16 && len <= 19;                              // UnionPay
        if (p2 == 50 || (p2 >= 56 && p2 <= 69)) return len >= 12 && len <= 19;               // Maestro
        return false;
    }
}
