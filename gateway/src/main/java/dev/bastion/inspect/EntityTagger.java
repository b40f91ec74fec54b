package dev.bastion.inspect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A token tagger stacked on the gazetteer rules: a linear model (averaged perceptron, greedy left to right) over
 * the token, its shape and gazetteer flags, the rules' label, the words, shapes and gaps around it and the two
 * previous decisions, choosing one of {O, PERSON, LOCATION, ORGANIZATION, STREET_ADDRESS} per token. Weights are
 * trained offline on generated sentences (bench {@code EntityTaggerTrain}) and embedded as a resource. Linear time:
 * a fixed number of hashed features per token, and only tokens that can start or continue an entity are scored.
 */
public final class EntityTagger {
    static final String MODEL = "/dev/bastion/inspect/entity_tagger.bin.gz";
    static final int BITS = 16;
    static final int DIM = 1 << BITS;
    /** Labels: 0 = none, then the types below. */
    static final EntityType[] TYPES = {null, EntityType.PERSON, EntityType.LOCATION, EntityType.ORGANIZATION,
            EntityType.STREET_ADDRESS};
    static final int K = TYPES.length;
    static final int MAX_FEATURES = 48;

    private static final int G = GazetteerEntityRecognizer.FIRST | GazetteerEntityRecognizer.LAST
            | GazetteerEntityRecognizer.CITY | GazetteerEntityRecognizer.COUNTRY | GazetteerEntityRecognizer.STATE
            | GazetteerEntityRecognizer.ORG | GazetteerEntityRecognizer.CO_SUFFIX | GazetteerEntityRecognizer.TITLE
            | GazetteerEntityRecognizer.STREET | GazetteerEntityRecognizer.UNIT | GazetteerEntityRecognizer.PARTICLE
            | GazetteerEntityRecognizer.STREET_SUFFIX;

    private final float[] w;

    EntityTagger(float[] w) {
        if (w.length != DIM * K) throw new IllegalArgumentException("weights");
        this.w = w;
    }

    private static final class Holder {
        static final EntityTagger STANDARD = loadStandard();
    }

    /** The embedded model, or null when the resource is absent (the rules then run alone). */
    static EntityTagger standard() { return Holder.STANDARD; }

    private static EntityTagger loadStandard() {
        try (InputStream in = EntityTagger.class.getResourceAsStream(MODEL)) {
            return in == null ? null : read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Per-token inputs of one text, each computed on first use (most tokens of prose are never scored). */
    static final class Tokens {
        final Text t;
        final int n;
        final int[] rule;
        private final int[] word, suffix, shape, flags, gapBefore;
        /** Whether word, suffix, shape and gap of token i are computed; flags are computed apart (a lookup in the large gazetteer table, needed for fewer tokens). */
        private final boolean[] ready, flagsReady;
        private final GazetteerEntityRecognizer g;
        /** No capital letter anywhere: casing says nothing, so every token is scored. */
        final boolean lowerText;

        Tokens(Text t, GazetteerEntityRecognizer g, List<Finding> rules) {
            this.t = t;
            this.g = g;
            this.n = t.tokenCount();
            word = new int[n];
            suffix = new int[n];
            shape = new int[n];
            flags = new int[n];
            rule = new int[n];
            gapBefore = new int[n];
            ready = new boolean[n];
            flagsReady = new boolean[n];
            String s = t.value();
            boolean anyUpper = false;
            for (int i = 0; i < n && !anyUpper; i++) anyUpper = (t.tokenClass(i) & Text.UPPER) != 0;
            lowerText = !anyUpper;
            for (Finding f : rules) {
                int label = labelOf(f.type());
                if (label == 0) continue;
                for (int i = t.tokenAtOrAfter(f.start()); i < n && t.tokenStart(i) < f.end(); i++) rule[i] = label;
            }
        }

        private void fill(int i) {
            String s = t.value();
            int st = t.tokenStart(i), en = t.tokenEnd(i);
            int cls = t.tokenClass(i);
            int first = (cls & Text.UPPER) != 0 ? 1 : (cls & Text.LOWER) != 0 ? 2 : (cls & Text.FIRST_DIGIT) != 0 ? 3 : 4;
            // one pass for the word hash and the classes of the chars after the first; the hash of the last three
            // chars apart (a short loop instead of a test per char of where they start)
            int h = (0x811c9dc5 ^ lower(s.charAt(st))) * 0x01000193;
            int rest = 0;
            for (int k = st + 1; k < en; k++) {
                char d = s.charAt(k);
                rest |= d < 128 ? ASCII_REST[d] : Character.isUpperCase(d) ? 1 : Character.isLowerCase(d) ? 2 : 8;
                h = (h ^ lower(d)) * 0x01000193;
            }
            int sh = 0x2f0c1a5b;
            for (int k = Math.max(st, en - 3); k < en; k++) sh = (sh ^ lower(s.charAt(k))) * 0x01000193;
            word[i] = h;
            suffix[i] = sh;
            shape[i] = shapeOf(first, rest, en - st, en < s.length() && s.charAt(en) == '.');
            gapBefore[i] = gap(s, i == 0 ? 0 : t.tokenEnd(i - 1), st, i == 0);
            ready[i] = true;
        }

        private void fillFlags(int i) {
            int f = g.flags(t, i);
            // for a lower-case word only the lists that can hold part of a name count
            flags[i] = (t.tokenClass(i) & (Text.UPPER | Text.FIRST_DIGIT)) != 0 ? f : f & (G | GazetteerEntityRecognizer.WORD);
            flagsReady[i] = true;
        }

        int word(int i) { if (!ready[i]) fill(i); return word[i]; }
        int suffix(int i) { if (!ready[i]) fill(i); return suffix[i]; }
        int shape(int i) { if (!ready[i]) fill(i); return shape[i]; }
        int flags(int i) { if (!flagsReady[i]) fillFlags(i); return flags[i]; }
        int gapBefore(int i) { if (!ready[i]) fill(i); return gapBefore[i]; }

        /**
         * Whether token i is scored at all: capitalised words, numbers and what the rules found; a lower-case word
         * only right after an entity, as a joiner ("Bank of …", "… and Sons") or a word of the name lists
         * ("… van Gogh", "… Carlier rue").
         */
        boolean candidate(int i, int prevLabel) {
            if (lowerText || rule[i] != 0 || (t.tokenClass(i) & (Text.UPPER | Text.FIRST_DIGIT)) != 0) return true;
            return prevLabel != 0 && (t.tokenIs(i, "and") || t.tokenIs(i, "of") || t.tokenIs(i, "the") || (flags(i) & G) != 0);
        }
    }

    static int labelOf(EntityType type) {
        for (int k = 1; k < K; k++) if (TYPES[k] == type) return k;
        return 0;
    }

    /** Greedy decoding: one label per token. */
    int[] tag(Tokens tk) {
        int[] labels = new int[tk.n];
        int[] f = new int[MAX_FEATURES];
        float[] score = new float[K];
        int p1 = 0, p2 = 0;
        for (int i = 0; i < tk.n; i++) {
            int label = 0;
            if (tk.candidate(i, p1)) {
                int nf = features(tk, i, p1, p2, f);
                scores(f, nf, score);
                label = argmax(score);
            }
            labels[i] = label;
            p2 = p1;
            p1 = label;
        }
        return labels;
    }

    void scores(int[] f, int nf, float[] out) {
        if (K == 5 && out.length == 5) {
            // the five sums in locals (registers) rather than in the array: same additions in the same order
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f;
            float[] w = this.w;
            for (int j = 0; j < nf; j++) {
                int base = f[j] * 5;
                s0 += w[base];
                s1 += w[base + 1];
                s2 += w[base + 2];
                s3 += w[base + 3];
                s4 += w[base + 4];
            }
            out[0] = s0;
            out[1] = s1;
            out[2] = s2;
            out[3] = s3;
            out[4] = s4;
            return;
        }
        java.util.Arrays.fill(out, 0f);
        for (int j = 0; j < nf; j++) {
            int base = f[j] * K;
            for (int k = 0; k < K; k++) out[k] += w[base + k];
        }
    }

    static int argmax(float[] s) {
        int best = 0;
        for (int k = 1; k < s.length; k++) if (s[k] > s[best]) best = k;
        return best;
    }

    /** Hashed feature indices of token i given the two previous labels; returns how many were written. */
    static int features(Tokens tk, int i, int p1, int p2, int[] f) {
        int n = 0;
        int fl = tk.flags(i);
        f[n++] = idx(1, 0);
        f[n++] = idx(2, tk.word(i));
        f[n++] = idx(3, tk.shape(i));
        f[n++] = idx(4, tk.suffix(i));
        f[n++] = idx(5, tk.rule[i]);
        f[n++] = idx(6, tk.rule[i] * 131 + tk.shape(i));
        f[n++] = idx(7, fl & (G | GazetteerEntityRecognizer.WORD | GazetteerEntityRecognizer.PROPER));
        // one feature per set flag bit below 14, in ascending order (visiting only the set bits)
        for (int bits = fl & 0x3fff; bits != 0 && n < MAX_FEATURES - 26; bits &= bits - 1) f[n++] = idx(8, Integer.numberOfTrailingZeros(bits));
        f[n++] = idx(9, p1);
        f[n++] = idx(10, p1 * 7 + p2);
        f[n++] = idx(11, p1 * 131 + tk.shape(i));
        f[n++] = idx(12, tk.gapBefore(i));
        int gapAfter = i + 1 < tk.n ? tk.gapBefore(i + 1) : 9;
        f[n++] = idx(13, gapAfter);
        f[n++] = idx(14, tk.gapBefore(i) * 16 + gapAfter);
        f[n++] = idx(15, p1 * 16 + tk.gapBefore(i));
        // neighbours
        for (int d = -2; d <= 2; d++) {
            if (d == 0) continue;
            int j = i + d;
            int tpl = 20 + (d + 2) * 4;
            if (j < 0 || j >= tk.n) {
                f[n++] = idx(tpl, 0x7fffffff);
                continue;
            }
            f[n++] = idx(tpl, tk.word(j));
            if (d == -1 || d == 1) {
                f[n++] = idx(tpl + 1, tk.shape(j));
                f[n++] = idx(tpl + 2, tk.flags(j) & (G | GazetteerEntityRecognizer.WORD));
                f[n++] = idx(tpl + 3, tk.rule[j] * 131 + tk.rule[i]);
            }
        }
        if (i > 0) f[n++] = idx(40, tk.word(i - 1) * 31 + tk.shape(i));
        if (i + 1 < tk.n) f[n++] = idx(41, tk.word(i + 1) * 31 + tk.shape(i));
        if (i > 1) f[n++] = idx(42, tk.word(i - 2) * 31 + tk.word(i - 1));
        f[n++] = idx(43, p1 * 131 + tk.rule[i] * 7 + (i + 1 < tk.n ? tk.rule[i + 1] : 0));
        if (tk.lowerText) {
            f[n++] = idx(44, p1);
            f[n++] = idx(45, tk.flags(i) & (G | GazetteerEntityRecognizer.WORD));
        }
        return n;
    }

    private static int idx(int template, int value) {
        int h = template * 0x9E3779B1 + value * 0x85EBCA6B;
        h ^= h >>> 15;
        h *= 0x2C1B3C6D;
        h ^= h >>> 12;
        return h & (DIM - 1);
    }

    private static char lower(char c) {
        if (c < 128) return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        return Character.toLowerCase(c);
    }

    /** Class bits of an ASCII char after a token's first: 1 upper case, 2 lower case, 4 digit, 8 anything else. */
    private static final byte[] ASCII_REST = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII_REST[c] = (byte) (c >= 'a' && c <= 'z' ? 2 : c >= 'A' && c <= 'Z' ? 1 : Chars.isDigit(c) ? 4 : 8);
        }
    }

    /** First char class, the OR of the other chars' class bits (see ASCII_REST), length bucket, a dot right after. */
    private static int shapeOf(int first, int rest, int len, boolean dotAfter) {
        int lb = len == 1 ? 0 : len == 2 ? 1 : len <= 4 ? 2 : len <= 6 ? 3 : len <= 9 ? 4 : 5;
        return ((first * 16 + rest) * 8 + lb) * 2 + (dotAfter ? 1 : 0);
    }

    /** The separator before a token: 0 start of text, 1 space, 2 comma, 3 line break, 4 sentence end, 5 colon, 6 wide space, 7 other. */
    static int gap(String s, int from, int to, boolean first) {
        if (first) return 0;
        if (to - from == 1 && s.charAt(from) == ' ') return 1; // the common gap, without the flag loop
        boolean nl = false, dot = false, comma = false, colon = false, other = false;
        int spaces = 0;
        for (int k = from; k < to && k - from < 16; k++) {
            char c = s.charAt(k);
            if (c == '\n') nl = true;
            else if (c == '.' || c == '?' || c == '!') dot = true;
            else if (c == ',') comma = true;
            else if (c == ':') colon = true;
            else if (c == ' ' || c == '\t' || c == '\r') spaces++;
            else other = true;
        }
        if (nl) return 3;
        if (dot) return 4;
        if (comma) return 2;
        if (colon) return 5;
        if (other) return 7;
        return spaces == 1 ? 1 : 6;
    }

    /** Adds one finding per run of equally labelled tokens. */
    static void emit(Tokens tk, int[] labels, double score, List<Finding> out) {
        int i = 0;
        while (i < tk.n) {
            int l = labels[i];
            if (l == 0) { i++; continue; }
            int j = i + 1;
            // a possessive ends the entity: "Gillian Young's Cautionary Tales"
            while (j < tk.n && labels[j] == l && GazetteerEntityRecognizer.endWithoutPossessive(tk.t, j - 1) == tk.t.tokenEnd(j - 1)) j++;
            int from = i;
            // an honorific before a name is not part of it ("Mr. Ferko Takáts" -> "Ferko Takáts")
            while (l == 1 && from + 1 < j && (tk.flags(from) & GazetteerEntityRecognizer.TITLE) != 0) from++;
            out.add(new Finding(TYPES[l], tk.t.tokenStart(from), GazetteerEntityRecognizer.endWithoutPossessive(tk.t, j - 1), score));
            i = j;
        }
    }

    // ---- training (used by the bench trainer; the shipped model is a resource) ----

    /** One training text: the tokens and a gold label per token (-1: not scored, e.g. a title or nationality). */
    public record Example(String text, int[] gold) {}

    /** Gold label per token of {@code text} from labelled character ranges (label per char, -1 ignored, 0 none). */
    public static int[] goldPerToken(String text, int[] charLabels) {
        Text t = new Text(text);
        int[] g = new int[t.tokenCount()];
        for (int i = 0; i < g.length; i++) g[i] = charLabels[t.tokenStart(i)];
        return g;
    }

    /** Label index of a presidio-style gold label name; -1 for unscored labels, 0 for types the tagger leaves alone. */
    public static int labelOfGold(String name) {
        return switch (name) {
            case "PERSON" -> 1;
            case "LOCATION", "GPE" -> 2;
            case "ORGANIZATION" -> 3;
            case "STREET_ADDRESS" -> 4;
            case "TITLE", "NRP" -> -1;
            default -> 0;
        };
    }

    /** Averaged-perceptron training with greedy decoding; returns the model. */
    public static EntityTagger train(List<Example> data, int epochs, long seed) {
        GazetteerEntityRecognizer g = GazetteerEntityRecognizer.rulesOnly();
        Tokens[] tks = new Tokens[data.size()];
        for (int e = 0; e < tks.length; e++) {
            Text t = new Text(data.get(e).text());
            List<Finding> rules = new java.util.ArrayList<>();
            g.rules(t, rules);
            tks[e] = new Tokens(t, g, rules);
        }
        float[] w = new float[DIM * K];
        float[] u = new float[DIM * K]; // sum of c * update, for averaging
        int c = 1;
        int[] f = new int[MAX_FEATURES];
        float[] score = new float[K];
        java.util.Random rnd = new java.util.Random(seed);
        Integer[] order = new Integer[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        EntityTagger model = new EntityTagger(w);
        for (int epoch = 0; epoch < epochs; epoch++) {
            java.util.Collections.shuffle(java.util.Arrays.asList(order), rnd);
            int errors = 0, total = 0;
            for (int e : order) {
                Tokens tk = tks[e];
                int[] gold = data.get(e).gold();
                int p1 = 0, p2 = 0;
                for (int i = 0; i < tk.n; i++) {
                    int label = 0;
                    if (tk.candidate(i, p1)) {
                        int nf = features(tk, i, p1, p2, f);
                        model.scores(f, nf, score);
                        label = argmax(score);
                        int y = gold[i];
                        if (y >= 0) {
                            total++;
                            if (label != y) {
                                errors++;
                                for (int j = 0; j < nf; j++) {
                                    int b = f[j] * K;
                                    w[b + y] += 1; u[b + y] += c;
                                    w[b + label] -= 1; u[b + label] -= c;
                                }
                            }
                            // decode on with the model's own decision, as at run time
                        }
                        c++;
                    }
                    p2 = p1;
                    p1 = label;
                }
            }
            System.out.printf("epoch %d: token errors %.4f%n", epoch + 1, total == 0 ? 0 : (double) errors / total);
        }
        float[] avg = new float[DIM * K];
        for (int k = 0; k < avg.length; k++) avg[k] = w[k] - u[k] / c;
        return new EntityTagger(avg);
    }

    /** Writes the non-zero rows, gzip-compressed, weights quantised to 16 bits. */
    public void write(OutputStream os) throws IOException {
        float max = 0;
        for (float x : w) max = Math.max(max, Math.abs(x));
        float scale = max == 0 ? 1 : max / 32000f;
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(os))) {
            out.writeInt(BITS);
            out.writeInt(K);
            out.writeFloat(scale);
            int rows = 0;
            for (int r = 0; r < DIM; r++) if (nonZero(r, scale)) rows++;
            out.writeInt(rows);
            for (int r = 0; r < DIM; r++) {
                if (!nonZero(r, scale)) continue;
                out.writeInt(r);
                for (int k = 0; k < K; k++) out.writeShort(Math.round(w[r * K + k] / scale));
            }
        }
    }

    private boolean nonZero(int r, float scale) {
        for (int k = 0; k < K; k++) if (Math.round(w[r * K + k] / scale) != 0) return true;
        return false;
    }

    static EntityTagger read(InputStream is) throws IOException {
        DataInputStream in = new DataInputStream(new GZIPInputStream(is));
        if (in.readInt() != BITS || in.readInt() != K) throw new IOException("entity tagger model shape");
        float scale = in.readFloat();
        int rows = in.readInt();
        float[] w = new float[DIM * K];
        for (int i = 0; i < rows; i++) {
            int r = in.readInt();
            for (int k = 0; k < K; k++) w[r * K + k] = in.readShort() * scale;
        }
        return new EntityTagger(w);
    }

    /** Tags a text the way the recognizer does (for the trainer's own evaluation). */
    public static int[] tagForEval(EntityTagger m, String text) {
        GazetteerEntityRecognizer g = GazetteerEntityRecognizer.rulesOnly();
        Text t = new Text(text);
        List<Finding> rules = new java.util.ArrayList<>();
        g.rules(t, rules);
        return m.tag(new Tokens(t, g, rules));
    }
}
