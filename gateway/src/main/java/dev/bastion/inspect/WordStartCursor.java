package dev.bastion.inspect;

/**
 * Walks a text's word starts merged, in order, with every occurrence of one marker string (which may sit inside a
 * word): the only positions a scanner that acts at a word start or at its marker has to try, so it jumps between
 * them instead of stepping over every char. One cursor serves one forward scan.
 */
final class WordStartCursor {
    private final String s;
    private final String marker;
    private final int[] starts;
    private final int[] ends;
    private final int count;
    private int w;
    private int m;

    WordStartCursor(Text text, String marker) {
        this.s = text.value();
        this.marker = marker;
        this.starts = text.wordStarts();
        this.ends = text.wordEnds();
        this.count = text.wordStartCount();
        this.m = s.indexOf(marker);
    }

    /** The first word start or marker at or after {@code i}; the text's length when none is left. */
    int next(int i) {
        while (w < count && starts[w] < i) w++;
        if (m >= 0 && m < i) m = s.indexOf(marker, i);
        int next = w < count ? starts[w] : s.length();
        return m >= 0 && m < next ? m : next;
    }

    /** When {@code i}, the position {@link #next} just returned, is a word start: that word's end; else -1. */
    int wordEndAt(int i) {
        return w < count && starts[w] == i ? ends[w] : -1;
    }
}
