package dev.bastion.inspect;

import java.util.List;

/**
 * US_SSN: AAA-GG-SSSS (dashes, spaces or dots, or nine bare digits next to an SSN context word), excluding areas
 * 000, 666 and 900–999, group 00 and serial 0000, which the SSA never issues.
 */
final class SsnDetector implements Detector {
    @Override
    public String name() { return "us_ssn"; }

    @Override
    public void detect(Text text, List<Finding> out) {
        String s = text.value();
        DigitRuns.scan(text, " -.", false, 14, (start, end, count) -> {
            if (count != 9) return;
            String d = DigitRuns.digitsOf(s, start, end);
            if (!valid(d)) return;
            boolean context = ssnContext(s, start);
            int len = end - start;
            if (len == 11) {
                char a = s.charAt(start + 3);
                char b = s.charAt(start + 6);
                if (a != b || !(a == '-' || a == ' ' || a == '.')) return;
                double score = a == '-' ? 0.85 : 0.6;
                out.add(new Finding(EntityType.US_SSN, start, end, context ? 0.98 : score));
            } else if (len == 9 && context) {
                out.add(new Finding(EntityType.US_SSN, start, end, 0.9));
            }
        });
    }

    /** An SSN word shortly before: "SSN", "social security", and the colloquial "my social is", "social:". */
    static boolean ssnContext(String s, int start) {
        return Chars.precededBy(s, start, 40, "ssn", "social security", "social sec", "ss#", "ss #", "social is",
                "social:", "social no", "social number", "social #", "socials are", "social was");
    }

    static boolean valid(String d) {
        int area = Integer.parseInt(d.substring(0, 3));
        int group = Integer.parseInt(d.substring(3, 5));
        int serial = Integer.parseInt(d.substring(5));
        if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) return false;
        // well-known invalid samples (advertising and documentation numbers)
        return !d.equals("078051120") && !d.equals("219099999") && !d.equals("123456789");
    }
}
