package dev.bastion.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A fixed set of short cue phrases tested right before or right after a position, case-insensitively. Phrases are
 * bucketed by the two chars next to the position, so a test compares against a handful of phrases rather than all.
 */
final class Cues {
    private static final int BUCKETS = 64;
    private final String[][] buckets = new String[BUCKETS][];
    private final boolean before;

    private Cues(boolean before, String... phrases) {
        this.before = before;
        List<List<String>> b = new ArrayList<>();
        for (int i = 0; i < BUCKETS; i++) b.add(new ArrayList<>());
        for (String p : phrases) {
            String w = p.toLowerCase(Locale.ROOT);
            if (w.length() < 2) throw new IllegalArgumentException("cue too short");
            b.get(before ? key(w.charAt(w.length() - 1), w.charAt(w.length() - 2)) : key(w.charAt(0), w.charAt(1))).add(w);
        }
        for (int i = 0; i < BUCKETS; i++) buckets[i] = b.get(i).toArray(String[]::new);
    }

    /** Phrases that must end right before a position, after a non-letter (or the text start). */
    static Cues before(String... phrases) { return new Cues(true, phrases); }

    /** Phrases that must start right at a position. */
    static Cues after(String... phrases) { return new Cues(false, phrases); }

    private static int key(char a, char b) {
        return (lower(a) * 31 + lower(b)) & (BUCKETS - 1);
    }

    private static char lower(char c) {
        return c < 128 ? (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) : Character.toLowerCase(c);
    }

    /** Whether one of the phrases ends at {@code pos} (a "before" set) or starts there (an "after" set). */
    boolean at(String s, int pos) {
        if (before) {
            if (pos < 2) return false;
            for (String w : buckets[key(s.charAt(pos - 1), s.charAt(pos - 2))]) {
                int from = pos - w.length();
                if (from >= 0 && s.regionMatches(true, from, w, 0, w.length())
                        && (from == 0 || !Character.isLetter(s.charAt(from - 1)))) return true;
            }
            return false;
        }
        if (pos + 2 > s.length()) return false;
        for (String w : buckets[key(s.charAt(pos), s.charAt(pos + 1))]) {
            if (s.regionMatches(true, pos, w, 0, w.length())) return true;
        }
        return false;
    }
}
