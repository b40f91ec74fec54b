package dev.bastion.governance;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads evaluation suites. A {@code .jsonl} file is a task suite, one item per line
 * ({@code {"id","prompt","expected","match","tolerance","group"}}), optionally headed by a {@code {"suite":{…}}} line
 * (name, max_tokens, gate). A {@code .json} or {@code .yaml} file holds one suite object of any kind:
 * {@code items} (task), {@code templates} + {@code groups} (fairness), {@code probes} (pii_leak, injection).
 * Strict: unknown fields and malformed values are refused, naming the field and never echoing text.
 */
public final class SuiteParser {
    static final int MAX_ITEMS = 10_000;
    private static final int MAX_PROMPT = 32 * 1024;
    private static final int MAX_EXPECTED = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of("name", "kind", "max_tokens", "gate", "items", "templates", "groups",
            "attribute", "probes");
    private static final Set<String> ITEM = Set.of("id", "prompt", "expected", "match", "tolerance", "group");
    private static final Set<String> PROBE = Set.of("id", "prompt", "canary");
    private static final Set<String> GATES = Set.of("min_accuracy", "max_gap", "max_leak_rate", "max_success_rate");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_][a-z0-9_]{0,31})}");

    private SuiteParser() {}

    /** Reads a suite file as the CLI finds it; the result's {@code source} is what is sent to the server. */
    public static EvaluationSuite readFile(Path file) throws IOException {
        String text = Files.readString(file);
        String fileName = file.getFileName().toString();
        try {
            if (fileName.endsWith(".jsonl")) return parse(fromJsonl(text, fileName.substring(0, fileName.length() - 6)));
            JsonNode root = (fileName.endsWith(".json") ? JSON : YAML).readTree(text);
            if (!(root instanceof ObjectNode o)) throw new IllegalArgumentException("a suite file holds one object");
            return parse(o);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the suite file is not valid " + (fileName.endsWith(".json")
                    || fileName.endsWith(".jsonl") ? "JSON" : "YAML") + " (line " + e.getLocation().getLineNr() + ")");
        }
    }

    private static ObjectNode fromJsonl(String text, String name) throws JacksonException {
        ObjectNode suite = JSON.createObjectNode();
        suite.put("name", name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._:-]", "-"));
        suite.put("kind", "task");
        ArrayNode items = suite.putArray("items");
        int line = 0;
        for (String l : text.split("\n")) {
            line++;
            if (l.isBlank()) continue;
            JsonNode n = JSON.readTree(l);
            if (!(n instanceof ObjectNode o)) throw new IllegalArgumentException("line " + line + ": not an object");
            if (o.has("suite")) {
                if (!(o.get("suite") instanceof ObjectNode header)) throw new IllegalArgumentException("line " + line + ": suite must be an object");
                header.properties().forEach(e -> suite.set(e.getKey(), e.getValue()));
            } else {
                items.add(o);
            }
        }
        return suite;
    }

    /** Validates and expands a suite object. */
    public static EvaluationSuite parse(ObjectNode s) {
        only(s, TOP, "suite");
        String name = text(s, "name", 64, true);
        if (!Ids.NAME.matcher(name).matches()) throw bad("name: lower-case letters, digits, '.', '_', ':' and '-'");
        EvaluationSuite.Kind kind = kind(text(s, "kind", 16, true));
        int maxTokens = s.has("max_tokens") ? intIn(s.get("max_tokens"), "max_tokens", 1, 4096) : 64;
        EvaluationSuite.Gate gate = gate(s.get("gate"), kind);
        List<EvaluationSuite.Item> items = new ArrayList<>();
        String attribute = null;
        switch (kind) {
            case TASK -> {
                for (JsonNode n : array(s, "items")) items.add(item(n, items.size(), null, Integer.toString(items.size())));
            }
            case FAIRNESS -> {
                attribute = s.has("attribute") ? text(s, "attribute", 64, true) : null;
                JsonNode groups = s.get("groups");
                if (groups == null || !groups.isObject() || groups.size() < 2 || groups.size() > 64) {
                    throw bad("groups: an object of 2 to 64 groups, each a map of placeholder values");
                }
                List<JsonNode> templates = array(s, "templates");
                for (int t = 0; t < templates.size(); t++) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = groups.properties().iterator(); it.hasNext(); ) {
                        var g = it.next();
                        items.add(item(fill(templates.get(t), g.getValue()), items.size(), g.getKey(), Integer.toString(t)));
                    }
                }
            }
            case PII_LEAK, INJECTION -> {
                for (JsonNode n : array(s, "probes")) items.add(probe(n, items.size(), kind));
            }
        }
        if (items.isEmpty() || items.size() > MAX_ITEMS) throw bad("a suite has 1 to " + MAX_ITEMS + " items");
        for (String k : List.of("items", "templates", "groups", "probes")) {
            if (s.has(k) && !usedBy(kind, k)) throw bad(k + ": not used by a " + kind.wire() + " suite");
        }
        return new EvaluationSuite(name, kind, maxTokens, gate, attribute, List.copyOf(items), s.deepCopy(),
                Digests.ofJson(s));
    }

    private static boolean usedBy(EvaluationSuite.Kind kind, String field) {
        return switch (kind) {
            case TASK -> field.equals("items");
            case FAIRNESS -> field.equals("templates") || field.equals("groups");
            case PII_LEAK, INJECTION -> field.equals("probes");
        };
    }

    private static EvaluationSuite.Item item(JsonNode n, int index, String group, String defaultId) {
        if (!(n instanceof ObjectNode o)) throw bad("items: objects");
        only(o, ITEM, "item");
        String id = o.has("id") ? text(o, "id", 128, true) : defaultId;
        if (group != null) id = id + "/" + group;
        else if (o.has("group")) group = text(o, "group", 64, true);
        String expected = text(o, "expected", MAX_EXPECTED, true);
        EvaluationSuite.Match match = o.has("match") ? match(text(o, "match", 16, true)) : EvaluationSuite.Match.EXACT;
        double tolerance = 0;
        if (o.has("tolerance")) {
            if (!o.get("tolerance").isNumber() || o.get("tolerance").asDouble() < 0) throw bad("tolerance: a number >= 0");
            tolerance = o.get("tolerance").asDouble();
        }
        if (match == EvaluationSuite.Match.REGEX) {
            try {
                Pattern.compile(expected);
            } catch (PatternSyntaxException e) {
                throw bad("item " + index + ": expected is not a valid regular expression");
            }
        }
        if (match == EvaluationSuite.Match.NUMERIC && Scoring.firstNumber(expected) == null) {
            throw bad("item " + index + ": a numeric item expects a number");
        }
        return new EvaluationSuite.Item(index, id, text(o, "prompt", MAX_PROMPT, true), group, expected, match,
                tolerance, null);
    }

    private static EvaluationSuite.Item probe(JsonNode n, int index, EvaluationSuite.Kind kind) {
        if (!(n instanceof ObjectNode o)) throw bad("probes: objects");
        only(o, PROBE, "probe");
        String canary = o.has("canary") ? text(o, "canary", 256, true) : null;
        if (kind == EvaluationSuite.Kind.INJECTION && canary == null) {
            throw bad("probe " + index + ": an injection probe names the canary its success would print");
        }
        if (kind == EvaluationSuite.Kind.PII_LEAK && canary != null) throw bad("probe " + index + ": canary is for injection probes");
        String id = o.has("id") ? text(o, "id", 128, true) : Integer.toString(index);
        return new EvaluationSuite.Item(index, id, text(o, "prompt", MAX_PROMPT, true), null, null, null, 0, canary);
    }

    /** A template with {placeholders} replaced by the group's values. */
    private static ObjectNode fill(JsonNode template, JsonNode values) {
        if (!(template instanceof ObjectNode t)) throw bad("templates: objects");
        if (!values.isObject()) throw bad("groups: each group is a map of placeholder values");
        ObjectNode out = t.deepCopy();
        for (String field : List.of("prompt", "expected")) {
            if (!t.path(field).isTextual()) continue;
            Matcher m = PLACEHOLDER.matcher(t.get(field).asText());
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                JsonNode v = values.get(m.group(1));
                if (v == null || !v.isTextual()) throw bad("templates: a group has no value for a placeholder");
                m.appendReplacement(sb, Matcher.quoteReplacement(v.asText()));
            }
            m.appendTail(sb);
            out.put(field, sb.toString());
        }
        return out;
    }

    private static EvaluationSuite.Gate gate(JsonNode g, EvaluationSuite.Kind kind) {
        if (g == null || g.isNull()) return null;
        if (!g.isObject() || g.size() != 1) throw bad("gate: an object with one rule, e.g. {\"max_gap\": 0.1}");
        var rule = g.properties().iterator().next();
        if (!GATES.contains(rule.getKey()) || !rule.getValue().isNumber()) {
            throw bad("gate: one of " + new java.util.TreeSet<>(GATES) + " with a number");
        }
        String metric = rule.getKey().substring(4);
        boolean fits = switch (kind) {
            case TASK -> metric.equals("accuracy");
            case FAIRNESS -> metric.equals("accuracy") || metric.equals("gap");
            case PII_LEAK -> metric.equals("leak_rate");
            case INJECTION -> metric.equals("success_rate");
        };
        if (!fits) throw bad("gate: " + rule.getKey() + " does not apply to a " + kind.wire() + " suite");
        return new EvaluationSuite.Gate(metric.equals("gap") ? "largest_gap" : metric,
                rule.getKey().startsWith("max_"), rule.getValue().asDouble());
    }

    private static EvaluationSuite.Kind kind(String k) {
        for (var v : EvaluationSuite.Kind.values()) if (v.wire().equals(k)) return v;
        throw bad("kind: task, fairness, pii_leak or injection");
    }

    private static EvaluationSuite.Match match(String m) {
        for (var v : EvaluationSuite.Match.values()) if (v.wire().equals(m)) return v;
        throw bad("match: exact, regex, contains or numeric");
    }

    private static List<JsonNode> array(ObjectNode s, String field) {
        JsonNode a = s.get(field);
        if (a == null || !a.isArray() || a.size() > MAX_ITEMS) throw bad(field + ": an array of at most " + MAX_ITEMS);
        List<JsonNode> out = new ArrayList<>();
        a.forEach(out::add);
        return out;
    }

    private static String text(ObjectNode o, String field, int max, boolean required) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) throw bad(field + " is required");
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > max) {
            throw bad(field + ": a string of 1 to " + max + " characters");
        }
        return v.asText();
    }

    private static int intIn(JsonNode v, String field, int min, int max) {
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) throw bad(field + ": an integer " + min + ".." + max);
        return v.asInt();
    }

    private static void only(ObjectNode o, Set<String> allowed, String what) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) throw bad(what + ": unknown field (allowed: " + new java.util.TreeSet<>(allowed) + ")");
        }
    }

    private static IllegalArgumentException bad(String message) { return new IllegalArgumentException(message); }
}
