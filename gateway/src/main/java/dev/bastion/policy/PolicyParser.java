package dev.bastion.policy;

import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationResult;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns policy YAML into a {@link Policy}, or into every error it finds, each located at file:line:column. */
final class PolicyParser {
    static final int FORMAT_VERSION = 1;

    private static final Set<String> TOP = Set.of("version", "description", "purposes", "classifications",
            "default_classification", "finding_classifications", "attributes", "rules", "roles");
    private static final Set<String> RULE = Set.of("id", "description", "effect", "roles", "actions", "resources",
            "when", "purposes", "obligations", "code");
    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern IDENT = Pattern.compile("[a-z_][a-z0-9_]{0,63}");
    static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}");
    private static final Pattern RESOURCE = Pattern.compile("\\*|[a-z][a-z0-9_-]*:[^\\s]{1,256}");

    private final String file;
    private final YamlReader y;
    private String[] lines = new String[0];

    private PolicyParser(String file) {
        this.file = file;
        this.y = new YamlReader(file);
    }

    static Policy parse(String file, String text) throws PolicyCompileException {
        return new PolicyParser(file).run(text);
    }

    private Policy run(String text) throws PolicyCompileException {
        lines = text.split("\n", -1);
        Node root = y.compose(text);
        if (root == null) throw new PolicyCompileException(y.errors());
        var top = y.fields(root, "policy", TOP, Set.of("version", "rules"));
        if (top == null) throw new PolicyCompileException(y.errors());

        Long version = y.integer(top.get("version"), "version");
        if (version != null && version != FORMAT_VERSION) {
            y.error(top.get("version"), "version: unsupported policy format " + version + " (supported: " + FORMAT_VERSION + ")");
        }
        if (top.containsKey("description")) y.string(top.get("description"), "description");
        Set<String> purposes = top.containsKey("purposes") ? labels(top.get("purposes"), "purposes") : null;
        Set<String> declaredRoles = top.containsKey("roles") ? labels(top.get("roles"), "roles") : null;
        var classifications = classifications(top);
        Map<String, AttributeType> principalSchema = Map.of();
        Map<String, AttributeType> resourceSchema = Map.of();
        if (top.containsKey("attributes")) {
            var attrs = y.fields(top.get("attributes"), "attributes", Set.of("principal", "resource"), Set.of());
            if (attrs != null) {
                if (attrs.containsKey("principal")) principalSchema = schema(attrs.get("principal"), "attributes.principal");
                if (attrs.containsKey("resource")) resourceSchema = schema(attrs.get("resource"), "attributes.resource");
            }
        }
        var cel = new PolicyCel(principalSchema, resourceSchema);
        var rules = new ArrayList<Rule>();
        var ids = new HashSet<String>();
        var list = y.sequence(top.get("rules"), "rules");
        if (list != null) {
            if (list.isEmpty()) y.error(top.get("rules"), "rules: at least one rule is required");
            for (Node n : list) {
                Rule r = rule(n, cel, purposes);
                if (r != null && declaredRoles != null) undeclaredRoles(n, r, declaredRoles);
                if (r != null && !ids.add(r.id())) {
                    y.error(n, "rule '" + r.id() + "': duplicate id");
                } else if (r != null) {
                    rules.add(r);
                }
            }
        }
        if (!y.ok()) throw new PolicyCompileException(y.errors());
        return new Policy(file, Policy.digest(text), rules, principalSchema, resourceSchema, classifications,
                purposes == null ? Set.of() : purposes, declaredRoles == null ? rolesNamed(rules) : declaredRoles);
    }

    /** With a top-level {@code roles} registry, a rule may name only registered roles (a typo grants nothing). */
    private void undeclaredRoles(Node n, Rule r, Set<String> declared) {
        for (String role : r.roles()) {
            if (!declared.contains(role)) {
                y.error(n, "rule '" + r.id() + "': role '" + YamlReader.printable(role)
                        + "' is not declared in the top-level roles");
            }
        }
    }

    /** Without a registry, the roles a policy knows are those its rules name. */
    private static Set<String> rolesNamed(List<Rule> rules) {
        var out = new java.util.TreeSet<String>();
        for (Rule r : rules) out.addAll(r.roles());
        return out;
    }

    private Classifications classifications(Map<String, Node> top) {
        if (!top.containsKey("classifications")) {
            if (top.containsKey("default_classification")) {
                y.error(top.get("default_classification"), "default_classification: needs a classifications list");
            }
            if (top.containsKey("finding_classifications")) {
                y.error(top.get("finding_classifications"), "finding_classifications: needs a classifications list");
            }
            return Classifications.NONE;
        }
        var labels = labels(top.get("classifications"), "classifications");
        String def = "";
        if (top.containsKey("default_classification")) {
            String d = y.string(top.get("default_classification"), "default_classification");
            if (d != null && !labels.contains(d)) {
                y.error(top.get("default_classification"), "default_classification: '" + YamlReader.printable(d)
                        + "' is not one of the classifications");
            } else if (d != null) {
                def = d;
            }
        }
        return new Classifications(List.copyOf(labels), def, findingClassifications(top, labels));
    }

    /** {@code finding_classifications: {MEDICAL_RECORD_NUMBER: confidential}}: what a found entity type implies. */
    private Map<String, String> findingClassifications(Map<String, Node> top, Set<String> labels) {
        Node n = top.get("finding_classifications");
        if (n == null) return Map.of();
        var out = new java.util.LinkedHashMap<String, String>();
        var entries = y.freeFields(n, "finding_classifications");
        if (entries == null) return Map.of();
        entries.forEach((type, value) -> {
            String label = y.string(value, "finding_classifications." + type);
            if (!type.matches("[A-Z][A-Z0-9_]{0,63}")) {
                y.error(value, "finding_classifications: '" + YamlReader.printable(type)
                        + "' is not an entity type name (upper case, like MEDICAL_RECORD_NUMBER)");
            } else if (label != null && !labels.contains(label)) {
                y.error(value, "finding_classifications." + type + ": '" + YamlReader.printable(label)
                        + "' is not one of the classifications");
            } else if (label != null) {
                out.put(type, label);
            }
        });
        return out;
    }

    private Set<String> labels(Node n, String what) { return labels(y, n, what); }

    /** A list of unique labels (purposes, classifications, regions). */
    static Set<String> labels(YamlReader y, Node n, String what) {
        var out = new LinkedHashSet<String>();
        var items = y.sequence(n, what);
        if (items == null) return out;
        for (Node item : items) {
            String s = y.string(item, what + " item");
            if (s == null) continue;
            if (!LABEL.matcher(s).matches()) y.error(item, what + ": invalid label '" + YamlReader.printable(s) + "'");
            else if (!out.add(s)) y.error(item, what + ": duplicate '" + s + "'");
        }
        return out;
    }

    private Map<String, AttributeType> schema(Node n, String what) {
        var out = new LinkedHashMap<String, AttributeType>();
        var fields = y.freeFields(n, what);
        if (fields == null) return out;
        fields.forEach((name, typeNode) -> {
            if (!IDENT.matcher(name).matches()) {
                y.error(typeNode, what + ": attribute name '" + YamlReader.printable(name)
                        + "' must be lower_snake_case");
                return;
            }
            String t = y.string(typeNode, what + "." + name);
            if (t == null) return;
            AttributeType.parse(t).ifPresentOrElse(type -> out.put(name, type), () -> y.error(typeNode,
                    what + "." + name + ": unknown type '" + YamlReader.printable(t)
                            + "' (string, int, double, bool, list<string>, map<string,string>)"));
        });
        return out;
    }

    private Rule rule(Node n, PolicyCel cel, Set<String> declaredPurposes) {
        var f = y.fields(n, "rule", RULE, Set.of("id", "effect", "roles", "actions"));
        if (f == null) return null;
        int before = y.errors().size();
        String id = f.containsKey("id") ? y.string(f.get("id"), "rule id") : null;
        if (id != null && !RULE_ID.matcher(id).matches()) {
            y.error(f.get("id"), "rule id '" + YamlReader.printable(id) + "' must match " + RULE_ID.pattern());
            id = null;
        }
        String where = "rule '" + (id == null ? "?" : id) + "'";
        if (f.containsKey("description")) y.string(f.get("description"), where + ": description");
        Effect effect = effect(f.get("effect"), where);
        Set<String> roles = roles(f.get("roles"), where);
        Set<Action> actions = actions(f.get("actions"), where);
        List<Glob> resources = f.containsKey("resources") ? resources(f.get("resources"), where) : List.of();
        Set<String> purposes = null;
        if (f.containsKey("purposes")) {
            purposes = labels(f.get("purposes"), where + ": purposes");
            if (purposes.isEmpty()) y.error(f.get("purposes"), where + ": purposes must not be empty");
            if (effect != null && effect != Effect.PERMIT) {
                y.error(f.get("purposes"), where + ": purposes bind permit rules only (use 'when' on request.purpose)");
            }
            if (declaredPurposes != null) {
                for (String p : purposes) {
                    if (!declaredPurposes.contains(p)) {
                        y.error(f.get("purposes"), where + ": purpose '" + p + "' is not declared in the top-level purposes");
                    }
                }
            }
        }
        Obligations obligations = Obligations.NONE;
        if (f.containsKey("obligations")) {
            if (effect == Effect.FORBID) y.error(f.get("obligations"), where + ": a forbid rule has no obligations");
            obligations = ObligationsReader.read(y, f.get("obligations"), where);
        }
        if (effect == Effect.OBLIGATE && !f.containsKey("obligations")) {
            y.error(n, where + ": an obligate rule needs obligations");
        }
        Reason code = Reason.FORBIDDEN;
        if (f.containsKey("code")) {
            String c = y.string(f.get("code"), where + ": code");
            if (effect != Effect.FORBID) y.error(f.get("code"), where + ": only a forbid rule names a code");
            else if (Reason.CONSENT_MISSING.code().equals(c)) code = Reason.CONSENT_MISSING;
            else if (c != null) y.error(f.get("code"), where + ": unknown code '" + YamlReader.printable(c) + "' (consent_missing)");
        }
        dev.cel.runtime.CelRuntime.Program condition = null;
        String conditionText = null;
        if (f.containsKey("when")) {
            conditionText = y.string(f.get("when"), where + ": when");
            if (conditionText != null) condition = condition(f.get("when"), conditionText, cel, where);
        }
        if (y.errors().size() > before || id == null) return null;
        return new Rule(id, effect, YamlReader.line(n), roles, actions, resources, condition, conditionText,
                purposes, obligations, code);
    }

    private Effect effect(Node n, String where) {
        String s = y.string(n, where + ": effect");
        if (s == null) return null;
        return switch (s) {
            case "permit" -> Effect.PERMIT;
            case "forbid" -> Effect.FORBID;
            case "obligate" -> Effect.OBLIGATE;
            default -> {
                y.error(n, where + ": unknown effect '" + YamlReader.printable(s) + "' (permit, forbid, obligate)");
                yield null;
            }
        };
    }

    private Set<String> roles(Node n, String where) {
        var list = y.strings(n, where + ": roles");
        if (list == null) return Set.of();
        if (list.isEmpty()) y.error(n, where + ": roles must not be empty (use [\"*\"] for any principal)");
        if (list.contains("*")) {
            if (list.size() > 1) y.error(n, where + ": '*' stands alone in roles");
            return Set.of();
        }
        for (String r : list) {
            if (r.isBlank() || r.length() > 128 || r.chars().anyMatch(Character::isISOControl)) {
                y.error(n, where + ": invalid role name '" + YamlReader.printable(r) + "'");
            }
        }
        return Set.copyOf(list);
    }

    private Set<Action> actions(Node n, String where) {
        var list = y.strings(n, where + ": actions");
        var out = EnumSet.noneOf(Action.class);
        if (list == null) return out;
        if (list.isEmpty()) y.error(n, where + ": actions must not be empty");
        for (String a : list) {
            if (a.equals("*")) {
                out.addAll(EnumSet.allOf(Action.class));
            } else if (a.endsWith(".*")) {
                String prefix = a.substring(0, a.length() - 1);
                var matched = EnumSet.noneOf(Action.class);
                for (Action act : Action.values()) if (act.wire().startsWith(prefix)) matched.add(act);
                if (matched.isEmpty()) y.error(n, where + ": unknown action pattern '" + YamlReader.printable(a) + "'");
                out.addAll(matched);
            } else {
                Action.parse(a).ifPresentOrElse(out::add,
                        () -> y.error(n, where + ": unknown action '" + YamlReader.printable(a) + "'"));
            }
        }
        return out;
    }

    private List<Glob> resources(Node n, String where) {
        var list = y.strings(n, where + ": resources");
        if (list == null) return List.of();
        if (list.isEmpty()) y.error(n, where + ": resources must not be empty (omit it for any resource)");
        if (list.contains("*")) return List.of();
        var out = new ArrayList<Glob>();
        for (String r : list) {
            if (!RESOURCE.matcher(r).matches()) {
                y.error(n, where + ": resource '" + YamlReader.printable(r) + "' must be '*' or 'kind:pattern'");
            } else {
                out.add(Glob.of(r));
            }
        }
        return out;
    }

    private dev.cel.runtime.CelRuntime.Program condition(Node n, String text, PolicyCel cel, String where) {
        CelValidationResult result;
        try {
            result = cel.compile(text);
        } catch (RuntimeException e) {
            y.error(n, where + ": when: expression could not be compiled (" + e.getClass().getSimpleName() + ")");
            return null;
        }
        if (result.hasError()) {
            for (CelIssue issue : result.getErrors()) celError(n, issue, where);
            return null;
        }
        try {
            return PolicyCel.program(result.getAst());
        } catch (Exception e) {
            y.error(n, where + ": when: " + e.getClass().getSimpleName());
            return null;
        }
    }

    /** Places a CEL issue at its line in the YAML file: block scalars start on the line after the key. */
    private void celError(Node n, CelIssue issue, String where) {
        var loc = issue.getSourceLocation();
        int line = YamlReader.line(n);
        int col = n.getStartMark().getColumn() + 1;
        if (loc.getLine() > 0) {
            boolean block = n instanceof ScalarNode s && (s.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
                    || s.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED);
            line += loc.getLine() - (block ? 0 : 1);
            col = block ? indent(line) + loc.getColumn() + 1 : col + loc.getColumn() + (isQuoted(n) ? 1 : 0);
        }
        y.errors().add(new PolicyError(file, line, col, where + ": when: " + issue.getMessage()));
    }

    private int indent(int line) {
        if (line < 1 || line > lines.length) return 0;
        String l = lines[line - 1];
        int i = 0;
        while (i < l.length() && l.charAt(i) == ' ') i++;
        return i;
    }

    private static boolean isQuoted(Node n) {
        return n instanceof ScalarNode s && (s.getScalarStyle() == DumperOptions.ScalarStyle.SINGLE_QUOTED
                || s.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED);
    }
}
