package dev.bastion.policy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a YAML node tree keeping line numbers, and collects errors instead of stopping at the first, so an operator
 * sees every problem of a file at once. Composes nodes only (no object construction): no tags can instantiate types.
 */
final class YamlReader {
    static final int MAX_CHARS = 4 * 1024 * 1024;

    private final String file;
    private final List<PolicyError> errors = new ArrayList<>();

    YamlReader(String file) { this.file = file; }

    List<PolicyError> errors() { return errors; }

    boolean ok() { return errors.isEmpty(); }

    /** The single document of {@code text}, or null after recording why it cannot be read. */
    Node compose(String text) {
        if (text.length() > MAX_CHARS) {
            errors.add(new PolicyError(file, 0, 0, "file larger than " + MAX_CHARS + " characters"));
            return null;
        }
        var options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(40);
        options.setCodePointLimit(MAX_CHARS);
        options.setProcessComments(false);
        try {
            Node root = new Yaml(options).compose(new StringReader(text));
            if (root == null) errors.add(new PolicyError(file, 1, 1, "file is empty"));
            return root;
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String why = e.getProblem() != null ? e.getProblem() : "invalid YAML";
            errors.add(new PolicyError(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1,
                    "YAML: " + why));
        } catch (YAMLException | IllegalArgumentException e) {
            errors.add(new PolicyError(file, 0, 0, "YAML: " + e.getClass().getSimpleName()));
        }
        return null;
    }

    void error(Node at, String message) {
        Mark m = at == null ? null : at.getStartMark();
        errors.add(new PolicyError(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, message));
    }

    static int line(Node n) { return n.getStartMark().getLine() + 1; }

    /**
     * The fields of a mapping by key, in file order; records unknown, duplicate, non-string and missing required keys.
     * Returns null when {@code node} is not a mapping.
     */
    Map<String, Node> fields(Node node, String what, Set<String> allowed, Set<String> required) {
        if (!(node instanceof MappingNode map)) {
            error(node, what + " must be a mapping");
            return null;
        }
        var out = new LinkedHashMap<String, Node>();
        for (var tuple : map.getValue()) {
            Node k = tuple.getKeyNode();
            if (!(k instanceof ScalarNode sk) || !sk.getTag().equals(Tag.STR)) {
                error(k, what + ": keys must be strings");
                continue;
            }
            String key = sk.getValue();
            if (!allowed.contains(key)) {
                error(k, what + ": unknown key '" + printable(key) + "' (allowed: " + String.join(", ", sorted(allowed)) + ")");
            } else if (out.putIfAbsent(key, tuple.getValueNode()) != null) {
                error(k, what + ": duplicate key '" + key + "'");
            }
        }
        for (String r : sorted(required)) {
            if (!out.containsKey(r)) error(node, what + ": missing required key '" + r + "'");
        }
        return out;
    }

    /** Every key of a mapping whose keys are free (schemas, labels); null when not a mapping. */
    Map<String, Node> freeFields(Node node, String what) {
        if (!(node instanceof MappingNode map)) {
            error(node, what + " must be a mapping");
            return null;
        }
        var out = new LinkedHashMap<String, Node>();
        for (var tuple : map.getValue()) {
            String key = string(tuple.getKeyNode(), what + " key");
            if (key != null && out.putIfAbsent(key, tuple.getValueNode()) != null) {
                error(tuple.getKeyNode(), what + ": duplicate key '" + printable(key) + "'");
            }
        }
        return out;
    }

    /** A string scalar (quoted or plain, not a number/bool/null in disguise). */
    String string(Node n, String what) {
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.STR)) return s.getValue();
        error(n, what + " must be a string");
        return null;
    }

    /** An ISO-8601 instant, quoted or as a YAML timestamp. */
    java.time.Instant instant(Node n, String what) {
        if (n instanceof ScalarNode s && (s.getTag().equals(Tag.STR) || s.getTag().equals(Tag.TIMESTAMP))) {
            try {
                return java.time.Instant.parse(s.getValue());
            } catch (java.time.format.DateTimeParseException e) {
                // reported below
            }
        }
        error(n, what + " must be an ISO-8601 instant (2025-01-31T09:00:00Z)");
        return null;
    }

    Long integer(Node n, String what) {
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
            try {
                return Long.parseLong(s.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                error(n, what + " is out of range");
                return null;
            }
        }
        error(n, what + " must be an integer");
        return null;
    }

    Boolean bool(Node n, String what) {
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            return switch (s.getValue()) {
                case "true", "True", "TRUE" -> true;
                case "false", "False", "FALSE" -> false;
                default -> {
                    error(n, what + " must be true or false");
                    yield null;
                }
            };
        }
        error(n, what + " must be true or false");
        return null;
    }

    /** A list of strings; a single string is not accepted (lists stay lists, so no silent coercion). */
    List<String> strings(Node n, String what) {
        if (!(n instanceof SequenceNode seq)) {
            error(n, what + " must be a list of strings");
            return null;
        }
        var out = new ArrayList<String>();
        for (Node item : seq.getValue()) {
            String s = string(item, what + " item");
            if (s != null) out.add(s);
        }
        return out;
    }

    List<Node> sequence(Node n, String what) {
        if (n instanceof SequenceNode seq) return seq.getValue();
        error(n, what + " must be a list");
        return null;
    }

    /** Plain Java value of a node (String, Long, Double, Boolean, null, List, Map) for free-form data. */
    Object plain(Node n, String what) {
        switch (n) {
            case ScalarNode s -> {
                Tag t = s.getTag();
                if (t.equals(Tag.STR) || t.equals(Tag.TIMESTAMP)) return s.getValue();
                if (t.equals(Tag.INT)) return integer(n, what);
                if (t.equals(Tag.BOOL)) return bool(n, what);
                if (t.equals(Tag.NULL)) return null;
                if (t.equals(Tag.FLOAT)) {
                    try {
                        return Double.parseDouble(s.getValue());
                    } catch (NumberFormatException e) {
                        error(n, what + ": unsupported number");
                        return null;
                    }
                }
                error(n, what + ": unsupported scalar type");
                return null;
            }
            case SequenceNode seq -> {
                var out = new ArrayList<Object>();
                for (Node item : seq.getValue()) out.add(plain(item, what));
                return out;
            }
            case MappingNode ignored -> {
                var fields = freeFields(n, what);
                var out = new LinkedHashMap<String, Object>();
                if (fields != null) fields.forEach((k, v) -> out.put(k, plain(v, what + "." + printable(k))));
                return out;
            }
            default -> {
                error(n, what + ": unsupported node");
                return null;
            }
        }
    }

    private static List<String> sorted(Set<String> keys) { return keys.stream().sorted().toList(); }

    /** Keys echoed into errors are trimmed and stripped of control characters (they come from the file itself). */
    static String printable(String s) {
        var b = new StringBuilder();
        s.codePoints().limit(64).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }
}
