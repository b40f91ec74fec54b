package dev.bastion.inspect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An immutable case-insensitive word → int table, looked up by a range of a string without allocating. Keys are
 * kept only as 64-bit fingerprints of their lower-cased chars (open addressing): a lookup touches one long and, on a
 * hit, one int, instead of a key string; two different words share a fingerprint with probability about 2^-64 per
 * pair (about 1e-14 for a lookup against the 100k gazetteer entries), which a heuristic recognizer can afford.
 * Fingerprint and value sit side by side in one array: the gazetteer table (4 MB) is far larger than the L2 cache,
 * so a hit costs one cache line (and one page) instead of two. Short words are answered from a small copy (see
 * {@link #SHORT}); it holds the same fingerprints and values, so the answers are the same (a false hit there needs a
 * collision with a short key rather than with any key). Used for gazetteers and context words.
 */
final class WordTable {
    /**
     * Words of up to this many chars are also kept in a small table of their own, which answers every lookup of
     * that length: short words are the commonest lookups ("The", "of", "in" around a name), and a small table stays
     * in the cache where a probe into the large one (4 MB for the gazetteer) is mostly a cache miss.
     */
    static final int SHORT = 3;
    /** Slot h: fingerprint at [2h], value at [2h + 1]; fingerprint 0 marks an empty slot. */
    private final long[] slots;
    private final int mask;
    /** The same layout for the words of at most {@link #SHORT} chars, with the same fingerprints and values. */
    private final long[] shortSlots;
    private final int shortMask;
    private final int size;

    private WordTable(List<String> words, List<Integer> vals) {
        int cap = capacity(words.size());
        slots = new long[2 * cap];
        mask = cap - 1;
        int n = 0;
        int shortWords = 0;
        for (int i = 0; i < words.size(); i++) {
            String k = words.get(i);
            if (put(slots, mask, print(k, 0, k.length()), vals.get(i))) n++;
            if (k.length() <= SHORT) shortWords++;
        }
        size = n;
        int shortCap = capacity(shortWords);
        shortSlots = new long[2 * shortCap];
        shortMask = shortCap - 1;
        for (String k : words) {
            if (k.length() > SHORT) continue; // lower-casing keeps the length, so only such keys match such lookups
            long fp = print(k, 0, k.length());
            put(shortSlots, shortMask, fp, probe(slots, mask, fp)); // the value merged in the large table
        }
    }

    /** Power of two at least twice {@code keys}: a load factor of at most one half keeps probe runs short. */
    private static int capacity(int keys) {
        return Integer.highestOneBit(Math.max(16, keys * 2)) << 1;
    }

    /** Adds {@code value} to the slot of {@code fp} (OR-ed into what is there); true when the slot was empty. */
    private static boolean put(long[] slots, int mask, long fp, int value) {
        int h = (int) fp & mask;
        while (slots[2 * h] != 0 && slots[2 * h] != fp) h = (h + 1) & mask;
        boolean added = slots[2 * h] == 0;
        slots[2 * h] = fp;
        slots[2 * h + 1] |= value;
        return added;
    }

    static Builder builder() { return new Builder(); }

    int size() { return size; }

    /** The value for s[from, to) compared case-insensitively, or 0 when absent. */
    int get(CharSequence s, int from, int to) {
        long fp = print(s, from, to);
        return to - from <= SHORT ? probe(shortSlots, shortMask, fp) : probe(slots, mask, fp);
    }

    private static int probe(long[] slots, int mask, long fp) {
        int h = (int) fp & mask;
        while (true) {
            long p = slots[2 * h];
            if (p == fp) return (int) slots[2 * h + 1];
            if (p == 0) return 0;
            h = (h + 1) & mask;
        }
    }

    boolean contains(CharSequence s, int from, int to) { return get(s, from, to) != 0; }

    private static char lower(char c) {
        if (c < 128) return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        return Character.toLowerCase(c);
    }

    /** 64-bit fingerprint of the lower-cased chars (FNV-1a, then a 64-bit finaliser); never 0. */
    private static long print(CharSequence s, int from, int to) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            h ^= lower(s.charAt(i));
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    static final class Builder {
        private final List<String> words = new ArrayList<>();
        private final List<Integer> vals = new ArrayList<>();

        Builder add(String word, int flag) {
            words.add(word);
            vals.add(flag);
            return this;
        }

        Builder addAll(Iterable<String> ws, int flag) {
            for (String w : ws) add(w, flag);
            return this;
        }

        /** Adds every non-comment line of a UTF-8 classpath resource next to this class. */
        Builder resource(String name, int flag) {
            for (String w : lines(name)) add(w, flag);
            return this;
        }

        WordTable build() { return new WordTable(words, vals); }
    }

    static List<String> lines(String name) {
        List<String> out = new ArrayList<>();
        try (InputStream in = WordTable.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) out.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
