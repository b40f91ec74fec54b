package dev.bastion.inspect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An immutable case-insensitive word → int table, looked up by a range of a string without allocating
 * (open addressing over lower-cased keys). Used for gazetteers and context words.
 */
final class WordTable {
    private final String[] keys;
    private final int[] values;
    private final int mask;
    private final int size;

    private WordTable(List<String> words, List<Integer> vals) {
        int cap = Integer.highestOneBit(Math.max(16, words.size() * 2)) << 1;
        keys = new String[cap];
        values = new int[cap];
        mask = cap - 1;
        int n = 0;
        for (int i = 0; i < words.size(); i++) {
            String k = words.get(i).toLowerCase(Locale.ROOT);
            int h = hash(k, 0, k.length()) & mask;
            while (keys[h] != null && !keys[h].equals(k)) h = (h + 1) & mask;
            if (keys[h] == null) n++;
            keys[h] = k;
            values[h] |= vals.get(i);
        }
        size = n;
    }

    static Builder builder() { return new Builder(); }

    int size() { return size; }

    /** The value for s[from, to) compared case-insensitively, or 0 when absent. */
    int get(CharSequence s, int from, int to) {
        int len = to - from;
        int h = hash(s, from, to) & mask;
        while (true) {
            String k = keys[h];
            if (k == null) return 0;
            if (k.length() == len && same(k, s, from)) return values[h];
            h = (h + 1) & mask;
        }
    }

    boolean contains(CharSequence s, int from, int to) { return get(s, from, to) != 0; }

    private static boolean same(String k, CharSequence s, int from) {
        for (int i = 0; i < k.length(); i++) {
            if (k.charAt(i) != lower(s.charAt(from + i))) return false;
        }
        return true;
    }

    private static char lower(char c) {
        if (c < 128) return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        return Character.toLowerCase(c);
    }

    private static int hash(CharSequence s, int from, int to) {
        int h = 0x811c9dc5;
        for (int i = from; i < to; i++) {
            h ^= lower(s.charAt(i));
            h *= 0x01000193;
        }
        return h ^ (h >>> 15);
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
