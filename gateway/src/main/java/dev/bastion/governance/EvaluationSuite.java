package dev.bastion.governance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;

/**
 * An evaluation suite, expanded into items: a task suite (prompts with exact / regex / contains / numeric scoring),
 * a counterfactual fairness suite (templates filled once per demographic group), PII-leak probes or injection probes.
 * The digest is over the suite as written (RFC 8785), so results name exactly what was asked.
 *
 * @param attribute for fairness: the attribute the groups vary (e.g. {@code gender}), or null
 * @param source    the suite as written (canonical form), what the CLI sends and the digest covers
 */
public record EvaluationSuite(String name, Kind kind, int maxTokens, Gate gate, String attribute, List<Item> items,
                              ObjectNode source, String digest) {

    public enum Kind {
        TASK, FAIRNESS, PII_LEAK, INJECTION;

        public String wire() { return name().toLowerCase(Locale.ROOT); }
    }

    public enum Match {
        EXACT, REGEX, CONTAINS, NUMERIC;

        public String wire() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * A pass/fail rule on one metric of the summary.
     *
     * @param atMost true for {@code max_<metric>} (value ≤ threshold), false for {@code min_<metric>}
     */
    public record Gate(String metric, boolean atMost, double threshold) {
        public boolean passes(double value) { return atMost ? value <= threshold + 1e-12 : value >= threshold - 1e-12; }

        public String op() { return atMost ? "<=" : ">="; }
    }

    /**
     * One prompt to send.
     *
     * @param group    the demographic group (fairness) or an optional grouping label (task), or null
     * @param expected the expected answer (task, fairness), or null
     * @param canary   the string whose presence in the answer means an injection succeeded, or null
     */
    public record Item(int index, String id, String prompt, String group, String expected, Match match,
                       double tolerance, String canary) {}

    /** The form the server keeps: everything scoring needs, prompts only as SHA-256 (they may hold personal data). */
    ObjectNode stored(List<java.util.Map<String, Long>> promptTypes) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("name", name);
        o.put("kind", kind.wire());
        o.put("max_tokens", maxTokens);
        if (attribute != null) o.put("attribute", attribute);
        if (gate != null) {
            ObjectNode g = o.putObject("gate");
            g.put("metric", gate.metric());
            g.put("at_most", gate.atMost());
            g.put("threshold", gate.threshold());
        }
        ArrayNode arr = o.putArray("items");
        for (Item i : items) {
            ObjectNode n = arr.addObject();
            n.put("id", i.id());
            n.put("prompt_sha256", Digests.ofText(i.prompt()));
            if (i.group() != null) n.put("group", i.group());
            if (i.expected() != null) n.put("expected", i.expected());
            if (i.match() != null) n.put("match", i.match().wire());
            if (i.tolerance() != 0) n.put("tolerance", i.tolerance());
            if (i.canary() != null) n.put("canary", i.canary());
            if (promptTypes != null && !promptTypes.get(i.index()).isEmpty()) {
                ObjectNode t = n.putObject("prompt_types");
                promptTypes.get(i.index()).forEach(t::put);
            }
        }
        return o;
    }
}
