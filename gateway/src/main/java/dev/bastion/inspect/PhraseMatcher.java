package dev.bastion.inspect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Aho–Corasick over lower-case phrases: one pass finds every occurrence of every phrase, in time linear in the text
 * plus matches. A phrase only counts at a word start, and a phrase of up to four chars also needs a word end
 * (unless it ends with a space), so "dan" does not match "dance".
 */
final class PhraseMatcher {
    private final char[] alphabet;
    private final int[] classOf = new int[65536];
    private final int[][] out; // phrase ids ending in each state (suffix outputs merged)
    /**
     * The goto table flattened, one row of {@code width} = alphabet size + 1 columns per state (the last column, for
     * chars outside the alphabet, leads back to the root). An entry holds the next state's row offset
     * (state * width), so a step is one add and one load; it is stored complemented (negative) when that state has
     * outputs.
     */
    private final int[] flat;
    private final int width;
    private final int[] lengths;
    private final boolean[] needsEnd;

    PhraseMatcher(List<String> phrases) {
        StringBuilder chars = new StringBuilder();
        for (String p : phrases) for (char c : p.toCharArray()) if (chars.indexOf(String.valueOf(c)) < 0) chars.append(c);
        alphabet = chars.toString().toCharArray();
        int a = alphabet.length;
        Arrays.fill(classOf, a);
        for (int i = 0; i < alphabet.length; i++) classOf[alphabet[i]] = i;
        List<int[]> goTo = new ArrayList<>();
        List<List<Integer>> outs = new ArrayList<>();
        goTo.add(filled(a));
        outs.add(new ArrayList<>());
        lengths = new int[phrases.size()];
        needsEnd = new boolean[phrases.size()];
        for (int id = 0; id < phrases.size(); id++) {
            String p = phrases.get(id);
            lengths[id] = p.length();
            needsEnd[id] = p.length() <= 4 && !p.endsWith(" ");
            int s = 0;
            for (char c : p.toCharArray()) {
                int k = classOf[c];
                if (goTo.get(s)[k] < 0) {
                    goTo.get(s)[k] = goTo.size();
                    goTo.add(filled(a));
                    outs.add(new ArrayList<>());
                }
                s = goTo.get(s)[k];
            }
            outs.get(s).add(id);
        }
        int n = goTo.size();
        int[] fail = new int[n];
        ArrayDeque<Integer> q = new ArrayDeque<>();
        for (int k = 0; k < a; k++) {
            int t = goTo.get(0)[k];
            if (t < 0) goTo.get(0)[k] = 0;
            else { fail[t] = 0; q.add(t); }
        }
        while (!q.isEmpty()) {
            int s = q.poll();
            outs.get(s).addAll(outs.get(fail[s]));
            for (int k = 0; k < a; k++) {
                int t = goTo.get(s)[k];
                if (t < 0) goTo.get(s)[k] = goTo.get(fail[s])[k];
                else { fail[t] = goTo.get(fail[s])[k]; q.add(t); }
            }
        }
        int[][] next = goTo.toArray(int[][]::new);
        out = new int[n][];
        for (int s = 0; s < n; s++) out[s] = outs.get(s).stream().mapToInt(Integer::intValue).toArray();
        width = a + 1;
        flat = new int[n * width];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < a; k++) {
                int t = next[s][k];
                flat[s * width + k] = out[t].length > 0 ? ~(t * width) : t * width;
            }
            flat[s * width + a] = 0; // a char outside every phrase: back to the root, which has no outputs
        }
    }

    private static int[] filled(int a) {
        int[] r = new int[a];
        Arrays.fill(r, -1);
        return r;
    }

    interface Hit { void at(int phrase, int start); }

    /** Reports every phrase occurrence in {@code lower} (already lower-cased) that sits on word boundaries. */
    void scan(String lower, Hit hit) {
        int s = 0; // row offset of the current state
        int n = lower.length();
        int[] flat = this.flat;
        int[] classOf = this.classOf;
        for (int i = 0; i < n; i++) {
            int v = flat[s + classOf[lower.charAt(i)]];
            if (v >= 0) { s = v; continue; }
            s = ~v;
            for (int id : out[s / width]) {
                int start = i - lengths[id] + 1;
                if (start > 0 && Character.isLetter(lower.charAt(start - 1))) continue;
                if (needsEnd[id] && i + 1 < n && Character.isLetter(lower.charAt(i + 1))) continue;
                hit.at(id, start);
            }
        }
    }
}
