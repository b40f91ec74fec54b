package dev.bastion.policy;

import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expected decisions for a policy, run in CI ({@code bastion policy test cases.yaml}):
 *
 * <pre>
 * version: 1
 * policy: default.yaml            # optional, relative to this file
 * time: 2025-01-31T09:00:00Z      # optional default request time
 * cases:
 *   - name: auditor cannot change policy
 *     principal: {roles: [auditor]}
 *     action: policy.manage
 *     resource: "policy:*"
 *     request: {purpose: ...}
 *     expect: {decision: deny, reason: permission_denied, rules: [...], obligations: {...}}
 * </pre>
 * {@code reason}, {@code rules} (compared as a set) and {@code obligations} (compared exactly) are optional.
 */
public final class PolicyCases {
    private static final Set<String> TOP = Set.of("version", "description", "policy", "time", "cases");
    private static final Set<String> CASE = Set.of("name", "principal", "action", "resource", "request", "expect");
    private static final Set<String> EXPECT = Set.of("decision", "reason", "rules", "obligations");

    /** One expectation, at its line in the cases file. */
    public record Case(String name, int line, PolicyRequest request, boolean allow, String reason, Set<String> rules,
                       Obligations obligations) {}

    /** The outcome of one case; {@code detail} says what differed. */
    public record Result(Case testCase, boolean passed, Decision decision, String detail) {}

    public record Report(List<Result> results) {
        public long passed() { return results.stream().filter(Result::passed).count(); }

        public long failed() { return results.size() - passed(); }

        public boolean ok() { return failed() == 0 && !results.isEmpty(); }
    }

    private final Path policyFile;
    private final List<Case> cases;

    private PolicyCases(Path policyFile, List<Case> cases) {
        this.policyFile = policyFile;
        this.cases = List.copyOf(cases);
    }

    /** The policy file the cases name (resolved against the cases file's directory), or null. */
    public Path policyFile() { return policyFile; }

    public List<Case> cases() { return cases; }

    public static PolicyCases load(Path file) throws IOException, PolicyCompileException {
        return parse(file, Files.readString(file, StandardCharsets.UTF_8));
    }

    public static PolicyCases parse(Path file, String text) throws PolicyCompileException {
        String name = file.toString();
        var y = new YamlReader(name);
        Node root = y.compose(text);
        if (root == null) throw new PolicyCompileException(y.errors());
        var top = y.fields(root, "cases file", TOP, Set.of("version", "cases"));
        if (top == null) throw new PolicyCompileException(y.errors());
        Long version = y.integer(top.get("version"), "version");
        if (version != null && version != 1) y.error(top.get("version"), "version: unsupported cases format " + version);
        Path policy = null;
        if (top.containsKey("policy")) {
            String p = y.string(top.get("policy"), "policy");
            if (p != null) {
                Path dir = file.toAbsolutePath().getParent();
                policy = dir == null ? Path.of(p) : dir.resolve(p).normalize();
            }
        }
        Instant time = Instant.parse("2025-01-31T09:00:00Z");
        if (top.containsKey("time")) {
            Instant t = y.instant(top.get("time"), "time");
            if (t != null) time = t;
        }
        var list = new ArrayList<Case>();
        var names = new HashSet<String>();
        var items = y.sequence(top.get("cases"), "cases");
        if (items != null) {
            if (items.isEmpty()) y.error(top.get("cases"), "cases: at least one case is required");
            for (Node n : items) {
                Case c = testCase(y, n, time);
                if (c != null && !names.add(c.name())) y.error(n, "case '" + c.name() + "': duplicate name");
                else if (c != null) list.add(c);
            }
        }
        if (!y.ok()) throw new PolicyCompileException(y.errors());
        return new PolicyCases(policy, list);
    }

    private static Case testCase(YamlReader y, Node n, Instant time) {
        var f = y.fields(n, "case", CASE, Set.of("name", "principal", "action", "resource", "expect"));
        if (f == null) return null;
        int before = y.errors().size();
        String name = y.string(f.get("name"), "case name");
        String where = "case '" + (name == null ? "?" : YamlReader.printable(name)) + "'";
        var input = new LinkedHashMap<String, Object>();
        for (String k : List.of("principal", "action", "resource", "request")) {
            if (f.containsKey(k)) input.put(k, y.plain(f.get(k), where + ": " + k));
        }
        PolicyRequest request = null;
        if (y.errors().size() == before) {
            try {
                request = PolicyInputs.request(input, time);
            } catch (IllegalArgumentException e) {
                y.error(n, where + ": " + e.getMessage());
            }
        }
        var e = y.fields(f.get("expect"), where + ": expect", EXPECT, Set.of("decision"));
        boolean allow = false;
        String reason = null;
        Set<String> rules = null;
        Obligations obligations = null;
        if (e != null) {
            String d = y.string(e.get("decision"), where + ": expect.decision");
            if ("allow".equals(d)) allow = true;
            else if (d != null && !d.equals("deny")) y.error(e.get("decision"), where + ": decision must be allow or deny");
            if (e.containsKey("reason")) {
                String code = y.string(e.get("reason"), where + ": expect.reason");
                reason = code;
                if (code != null && java.util.Arrays.stream(Reason.values()).noneMatch(r -> r.code().equals(code))) {
                    y.error(e.get("reason"), where + ": unknown reason code");
                }
            }
            if (e.containsKey("rules")) {
                var l = y.strings(e.get("rules"), where + ": expect.rules");
                if (l != null) rules = Set.copyOf(l);
            }
            if (e.containsKey("obligations")) {
                obligations = ObligationsReader.read(y, e.get("obligations"), where + ": expect");
            }
        }
        if (y.errors().size() > before || request == null) return null;
        return new Case(name, YamlReader.line(n), request, allow, reason, rules, obligations);
    }

    /** Runs every case against {@code policy}. */
    public Report run(Policy policy) {
        var results = new ArrayList<Result>();
        for (Case c : cases) {
            Decision d = policy.decide(c.request());
            var diffs = new ArrayList<String>();
            if (d.allowed() != c.allow()) diffs.add("expected " + (c.allow() ? "allow" : "deny") + ", got " + (d.allowed() ? "allow" : "deny"));
            if (c.reason() != null && !c.reason().equals(d.reason().code())) {
                diffs.add("expected reason " + c.reason() + ", got " + d.reason().code());
            }
            if (c.rules() != null && !c.rules().equals(Set.copyOf(d.ruleIds()))) {
                diffs.add("expected rules " + c.rules().stream().sorted().toList() + ", got " + d.ruleIds());
            }
            if (c.obligations() != null && !c.obligations().equals(d.obligations())) {
                diffs.add("expected obligations " + c.obligations().toMap() + ", got " + d.obligations().toMap());
            }
            results.add(new Result(c, diffs.isEmpty(), d, String.join("; ", diffs)));
        }
        return new Report(results);
    }
}
