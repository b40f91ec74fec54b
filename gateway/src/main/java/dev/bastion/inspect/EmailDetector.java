package dev.bastion.inspect;

import java.util.List;

/** EMAIL_ADDRESS: expands left and right of each '@' within RFC length limits (constant work per '@'). */
final class EmailDetector implements Detector {
    @Override
    public String name() { return "email"; }

    @Override
    public void detect(Text text, List<Finding> out) {
        String s = text.value();
        int n = s.length();
        int at = s.indexOf('@');
        int resume = 0;
        while (at >= 0) {
            int l = at;
            while (l > 0 && at - l < 64 && isLocal(s.charAt(l - 1))) l--;
            while (l < at && s.charAt(l) == '.') l++;
            int r = at + 1;
            int lastDot = -1;
            while (r < n && r - at <= 253 && isDomain(s.charAt(r))) {
                if (s.charAt(r) == '.') lastDot = r;
                r++;
            }
            while (r > at + 1 && (s.charAt(r - 1) == '.' || s.charAt(r - 1) == '-')) r--;
            if (lastDot >= r - 1) {
                lastDot = -1;
                for (int k = r - 1; k > at; k--) if (s.charAt(k) == '.') { lastDot = k; break; }
            }
            if (l < at && l >= resume && lastDot > at + 1 && tldOk(s, lastDot + 1, r) && !credentialsInUrl(s, l)) {
                out.add(new Finding(EntityType.EMAIL_ADDRESS, l, r, 0.95));
                resume = r;
            }
            at = s.indexOf('@', at + 1);
        }
    }

    /** "scheme://user:password@host" is a URL with credentials, not an address. */
    private static boolean credentialsInUrl(String s, int localStart) {
        return localStart > 0 && s.charAt(localStart - 1) == ':'
                && Chars.indexOfIgnoreCase(s, "://", Math.max(0, localStart - 80), localStart) >= 0;
    }

    private static boolean tldOk(String s, int from, int to) {
        if (to - from < 2 || to - from > 24) return false;
        for (int i = from; i < to; i++) if (!Character.isLetter(s.charAt(i))) return false;
        return true;
    }

    private static boolean isLocal(char c) {
        return Chars.isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\''
                || (c > 127 && Character.isLetterOrDigit(c));
    }

    private static boolean isDomain(char c) {
        return Chars.isAlnum(c) || c == '.' || c == '-' || (c > 127 && Character.isLetterOrDigit(c));
    }
}
