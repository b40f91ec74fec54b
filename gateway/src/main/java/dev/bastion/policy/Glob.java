package dev.bastion.policy;

/**
 * A resource pattern: literal text where {@code *} stands for any run of characters (including none). Matching is
 * exact and case-sensitive over code units: {@code model:Llama} does not match {@code model:llama*}, and no Unicode
 * normalisation happens here (the router hands over the canonical alias it resolved).
 */
record Glob(String pattern, String[] parts) {

    static Glob of(String pattern) { return new Glob(pattern, pattern.split("\\*", -1)); }

    boolean matches(String s) {
        if (parts.length == 1) return s.equals(parts[0]);
        String first = parts[0];
        String last = parts[parts.length - 1];
        if (s.length() < first.length() + last.length() || !s.startsWith(first) || !s.endsWith(last)) return false;
        int pos = first.length();
        int end = s.length() - last.length();
        for (int i = 1; i < parts.length - 1; i++) {
            String p = parts[i];
            if (p.isEmpty()) continue;
            int at = s.indexOf(p, pos);
            if (at < 0 || at + p.length() > end) return false;
            pos = at + p.length();
        }
        return true;
    }

    @Override
    public boolean equals(Object o) { return o instanceof Glob g && g.pattern.equals(pattern); }

    @Override
    public int hashCode() { return pattern.hashCode(); }

    @Override
    public String toString() { return pattern; }
}
