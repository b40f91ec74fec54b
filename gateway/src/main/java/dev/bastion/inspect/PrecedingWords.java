package dev.bastion.inspect;

/**
 * A fixed list of lower-case context words, looked for in the window before a position in one pass: at each char
 * only the words that start with it are compared, instead of one search of the window per word. Answers exactly as
 * {@link Chars#precededBy} over the same words.
 */
final class PrecedingWords {
    private final String[][] byFirst = new String[128][];

    private PrecedingWords(String... lowerWords) {
        for (String w : lowerWords) {
            char c = w.charAt(0);
            if (c >= 128 || Chars.lower(c) != c) throw new IllegalArgumentException("words must start lower-case ASCII");
            String[] old = byFirst[c];
            String[] grown = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = w;
            byFirst[c] = grown;
        }
    }

    static PrecedingWords of(String... lowerWords) { return new PrecedingWords(lowerWords); }

    /** Whether one of the words lies wholly within s[pos - window, pos), case-insensitively. */
    boolean before(CharSequence s, int pos, int window) {
        int from = Math.max(0, pos - window);
        for (int i = from; i < pos; i++) {
            char c = Chars.lower(s.charAt(i));
            String[] words = c < 128 ? byFirst[c] : null;
            if (words == null) continue;
            for (String w : words) {
                int n = w.length();
                if (i + n > pos) continue;
                int k = 1;
                while (k < n && Chars.lower(s.charAt(i + k)) == w.charAt(k)) k++;
                if (k == n) return true;
            }
        }
        return false;
    }
}
