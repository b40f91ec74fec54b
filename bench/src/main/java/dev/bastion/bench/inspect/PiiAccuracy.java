package dev.bastion.bench.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.inspect.EntityType;
import dev.bastion.inspect.Finding;
import dev.bastion.inspect.Inspection;
import dev.bastion.inspect.Inspector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Token-level precision/recall of the inspect detectors on a presidio-research style JSON set (the method of the
 * presidio-research evaluator: every word token gets the gold label of the span covering it and the predicted label
 * of the finding covering it). "overall" is PII vs non-PII (any type counts); per-type rows are strict.
 * Label mapping: GPE -> LOCATION, DATE_TIME -> DATE or DATE_OF_BIRTH, DOMAIN_NAME -> URL (scored),
 * PHONE_NUMBER also accepts FAX_NUMBER; TITLE and NRP are unscored (their tokens are ignored).
 *
 * <pre>java -cp bench/target/bastion-bench.jar dev.bastion.bench.inspect.PiiAccuracy testdata/pii/presidio_synth_dataset_v2.json [minScore] [--errors N] [--templates odd|even] [--rules-only]</pre>
 */
public final class PiiAccuracy {
    private static final Set<String> UNSCORED = Set.of("TITLE", "NRP");

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "testdata/pii/presidio_synth_dataset_v2.json");
        double min = args.length > 1 ? Double.parseDouble(args[1]) : 0.5;
        List<String> opts = List.of(args);
        int showErrors = opts.contains("--errors") ? Integer.parseInt(opts.get(opts.indexOf("--errors") + 1)) : 0;
        // --templates odd|even: only samples whose template (1-based line of presidio_templates.txt) has that parity,
        // to score sentences whose template a model trained on the other half never saw
        String parity = opts.contains("--templates") ? opts.get(opts.indexOf("--templates") + 1) : null;
        boolean rulesOnly = opts.contains("--rules-only");
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        // a generous budget: this measures accuracy, and the shared machine can stall a thread for a long time
        Inspector inspector = Inspector.builder().injection(false)
                .recognizer(rulesOnly ? dev.bastion.inspect.GazetteerEntityRecognizer.rulesOnly() : dev.bastion.inspect.GazetteerEntityRecognizer.standard())
                .budget(java.time.Duration.ofSeconds(10), java.time.Duration.ZERO).build();
        Map<String, int[]> perType = new TreeMap<>(); // tp, fp, fn
        int[] all = new int[3];
        int shown = 0;
        long nanos = 0;
        long chars = 0;
        int samples = 0;
        for (JsonNode sample : root) {
            if (parity != null) {
                JsonNode tid = sample.get("template_id");
                if (tid == null || tid.isNull() || ((tid.asInt() + 1) % 2 == 0) != parity.equals("even")) continue;
            }
            samples++;
            String text = sample.get("full_text").asText();
            String[] gold = new String[text.length()];
            for (JsonNode sp : sample.get("spans")) {
                String g = mapGold(sp.get("entity_type").asText());
                for (int k = sp.get("start_position").asInt(); k < Math.min(text.length(), sp.get("end_position").asInt()); k++) gold[k] = g;
            }
            long t0 = System.nanoTime();
            Inspection r = inspector.inspect(text);
            nanos += System.nanoTime() - t0;
            chars += text.length();
            if (!(r instanceof Inspection.Found found)) throw new IllegalStateException("inspection failed: " + r);
            String[] pred = new String[text.length()];
            for (Finding f : found.findings()) {
                if (f.score() < min) continue;
                for (int k = f.start(); k < f.end(); k++) pred[k] = mapPred(f.type());
            }
            List<String> errs = new ArrayList<>();
            for (int[] tok : tokens(text)) {
                String g = gold[tok[0]];
                String p = pred[tok[0]];
                for (int k = tok[0]; k < tok[1] && p == null; k++) p = pred[k];
                if (g != null && UNSCORED.contains(g)) continue;
                String w = text.substring(tok[0], tok[1]);
                if (g != null && p != null) all[0]++;
                else if (p != null) { all[1]++; errs.add("FP " + p + " '" + w + "'"); }
                else if (g != null) { all[2]++; errs.add("FN " + g + " '" + w + "'"); }
                if (g != null && g.equals(p)) perType.computeIfAbsent(g, x -> new int[3])[0]++;
                else {
                    if (p != null) perType.computeIfAbsent(p, x -> new int[3])[1]++;
                    if (g != null) perType.computeIfAbsent(g, x -> new int[3])[2]++;
                    if (g != null && p != null) errs.add("TYPE " + g + "->" + p + " '" + w + "'");
                }
            }
            if (!errs.isEmpty() && shown < showErrors) {
                shown++;
                System.out.println("--- " + text.replace("\n", "\\n"));
                System.out.println("    " + errs);
            }
        }
        System.out.printf("%-22s %8s %8s %8s %6s %6s %6s%n", "type", "tp", "fp", "fn", "P", "R", "F2");
        for (var e : perType.entrySet()) row(e.getKey(), e.getValue());
        row("overall (PII vs not)", all);
        System.out.printf("samples %d, %.1f MB/s single-threaded incl. warm-up%n", samples, chars / (nanos / 1e9) / 1e6);
    }

    static void row(String name, int[] c) {
        double p = c[0] + c[1] == 0 ? 0 : (double) c[0] / (c[0] + c[1]);
        double r = c[0] + c[2] == 0 ? 0 : (double) c[0] / (c[0] + c[2]);
        double f2 = p + r == 0 ? 0 : 5 * p * r / (4 * p + r);
        System.out.printf("%-22s %8d %8d %8d %6.3f %6.3f %6.3f%n", name, c[0], c[1], c[2], p, r, f2);
    }

    static String mapGold(String label) {
        return switch (label) {
            case "GPE" -> "LOCATION";
            case "DATE_TIME" -> "DATE";
            case "DOMAIN_NAME" -> "URL";
            default -> label;
        };
    }

    static String mapPred(EntityType t) {
        return switch (t) {
            case DATE_OF_BIRTH -> "DATE";
            case FAX_NUMBER -> "PHONE_NUMBER";
            default -> t.name();
        };
    }

    /** Word tokens: maximal runs of letters/digits (the unit presidio-research scores). */
    static List<int[]> tokens(String s) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            if (!Character.isLetterOrDigit(s.charAt(i))) { i++; continue; }
            int st = i;
            while (i < s.length() && Character.isLetterOrDigit(s.charAt(i))) i++;
            out.add(new int[]{st, i});
        }
        return out;
    }
}
