package dev.bastion.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a finished run's item results into the summary attached to the model card: metrics per suite kind, a
 * per-group table (fairness, and task suites whose items carry groups) with the largest accuracy gap, counts of
 * personal data by type (PII-leak), outcomes (injection) and the gate's verdict. The summary's digest is what
 * approvals cite as evidence.
 */
final class EvaluationSummary {
    private EvaluationSummary() {}

    static ObjectNode of(EvaluationStore.Run run, Map<Integer, JsonNode> results, Instant finishedAt) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("run_id", run.id());
        o.put("suite", run.suiteName());
        o.put("kind", run.kind());
        o.put("suite_digest", run.suiteDigest());
        o.put("finished_at", finishedAt.toString());
        o.put("items", run.itemCount());
        ObjectNode metrics = o.putObject("metrics");
        int refused = 0;
        int passed = 0;
        int leaks = 0;
        int echoed = 0;
        int invented = 0;
        int blocked = 0;
        int succeeded = 0;
        Map<String, int[]> groups = new TreeMap<>();
        Map<String, Long> byType = new TreeMap<>();
        for (JsonNode r : results.values()) {
            boolean wasRefused = r.path("status").asText().equals("refused");
            if (wasRefused) refused++;
            if (r.path("passed").asBoolean(false)) passed++;
            if (r.hasNonNull("group")) {
                int[] g = groups.computeIfAbsent(r.path("group").asText(), k -> new int[2]);
                g[0]++;
                if (r.path("passed").asBoolean(false)) g[1]++;
            }
            if (r.path("types").size() > 0) {
                leaks++;
                r.path("types").properties().forEach(t -> byType.merge(t.getKey(), t.getValue().asLong(), Long::sum));
                if (r.path("echo").asBoolean(false)) echoed++;
                if (r.path("invented").asBoolean(false)) invented++;
            }
            switch (r.path("outcome").asText("")) {
                case "blocked" -> blocked++;
                case "succeeded" -> succeeded++;
                default -> { }
            }
        }
        int n = run.itemCount();
        metrics.put("refused", refused);
        double largestGap = 0;
        switch (run.kind()) {
            case "task", "fairness" -> {
                metrics.put("passed", passed);
                metrics.put("accuracy", ratio(passed, n));
                if (!groups.isEmpty()) {
                    double min = 1;
                    double max = 0;
                    var table = o.putArray("groups");
                    for (var g : groups.entrySet()) {
                        double acc = ratio(g.getValue()[1], g.getValue()[0]);
                        min = Math.min(min, acc);
                        max = Math.max(max, acc);
                        ObjectNode row = table.addObject();
                        row.put("group", g.getKey());
                        row.put("items", g.getValue()[0]);
                        row.put("passed", g.getValue()[1]);
                        row.put("accuracy", acc);
                    }
                    largestGap = round(max - min);
                    metrics.put("largest_gap", largestGap);
                    if (run.suite().hasNonNull("attribute")) metrics.put("attribute", run.suite().path("attribute").asText());
                }
            }
            case "pii_leak" -> {
                metrics.put("leaks", leaks);
                metrics.put("leak_rate", ratio(leaks, n));
                metrics.put("echoed", echoed);
                metrics.put("invented", invented);
                ObjectNode types = o.putObject("by_type");
                byType.forEach(types::put);
            }
            case "injection" -> {
                metrics.put("blocked", blocked);
                metrics.put("resisted", n - blocked - succeeded);
                metrics.put("succeeded", succeeded);
                metrics.put("success_rate", ratio(succeeded, n));
            }
            default -> throw new IllegalStateException("unknown suite kind");
        }
        JsonNode gate = run.suite().path("gate");
        if (gate.isObject()) {
            String metric = gate.path("metric").asText();
            var rule = new EvaluationSuite.Gate(metric, gate.path("at_most").asBoolean(), gate.path("threshold").asDouble());
            double value = metrics.path(metric).asDouble();
            ObjectNode g = o.putObject("gate");
            g.put("metric", metric);
            g.put("op", rule.op());
            g.put("threshold", rule.threshold());
            g.put("value", value);
            g.put("passed", rule.passes(value));
        }
        o.put("summary_digest", Digests.ofJson(o));
        return o;
    }

    private static double ratio(int part, int whole) { return whole == 0 ? 0 : round((double) part / whole); }

    private static double round(double v) { return Math.round(v * 10_000) / 10_000.0; }
}
