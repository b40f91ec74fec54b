package dev.bastion.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.api.Access;
import dev.bastion.api.AdminCall;
import dev.bastion.api.AdminRoutes;
import dev.bastion.api.Reply;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyCases;
import dev.bastion.policy.PolicyCompileException;
import dev.bastion.policy.PolicyError;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.PolicyStore;
import dev.bastion.policy.ReloadResult;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The console's policy workbench on Bastion's API: the text in force and on disk ({@code policy.read}), a check of
 * an edited text — compile errors at line and column, a line diff against the policy in force, and the policy's test
 * cases run against it ({@code policy.simulate}: it changes nothing) — and the policy's history: the versions in
 * the database (the same on every replica: seed, reloads, edits, rollbacks with author) and the rejected reloads
 * this server saw. The text in force is the stored text of the version running here. The reload itself stays
 * {@code POST /bastion/v1/policy/reload}, which reads the policy file.
 */
final class PolicyWorkbench {
    private static final long MAX_TEXT = 512 * 1024;
    private static final int MAX_HISTORY = 200;

    private final PolicyHolder policies;
    private final PolicyStore store;
    private final Path file;
    private final Path casesFile;
    private final Clock clock;
    /** Rejected reloads on this server (they never became versions). */
    private final List<Map<String, Object>> rejected = new ArrayList<>();

    /**
     * @param file      the policy file, or null for the shipped default
     * @param casesFile the policy's test cases, or null: {@code <file name>-cases.yaml} beside it, or the shipped
     *                  default's cases
     */
    PolicyWorkbench(PolicyHolder policies, PolicyStore store, Path file, Path casesFile, Clock clock) {
        this.policies = policies;
        this.store = store;
        this.file = file;
        this.casesFile = casesFile != null ? casesFile : file == null ? null
                : file.resolveSibling(file.getFileName().toString().replaceFirst("\\.ya?ml$", "") + "-cases.yaml");
        this.clock = clock;
        policies.addListener(this::reloaded);
    }

    void register(AdminRoutes routes) {
        routes.get("/bastion/v1/policy/source", Access.to("policy.read"), this::source);
        routes.get("/bastion/v1/policy/history", Access.to("policy.read"), call -> Reply.ok(Map.of("history", history())));
        routes.post("/bastion/v1/policy/check", Access.to("policy.simulate"), this::check);
    }

    private Reply source(AdminCall call) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", file == null ? "built-in" : file.toString());
        out.put("digest", policies.current().digest());
        out.put("version", policies.version());
        out.put("text", inForceText());
        String onDisk = file == null ? null : read(file);
        out.put("file_text", onDisk);
        out.put("file_differs", onDisk != null && !Policy.digest(onDisk).equals(policies.current().digest()));
        return Reply.ok(out);
    }

    private Reply check(AdminCall call) {
        ObjectNode body = call.body(MAX_TEXT * 2, Set.of("policy", "cases"));
        String text = body.path("policy").asText(null);
        if (text == null) throw new ProblemException(ErrorCode.MISSING_FIELD.problem("policy is required", "policy"));
        Map<String, Object> out = new LinkedHashMap<>();
        Policy candidate = null;
        try {
            candidate = Policy.parse("candidate.yaml", text);
            out.put("digest", candidate.digest());
            out.put("rules", candidate.ruleCount());
            out.put("errors", List.of());
        } catch (PolicyCompileException e) {
            out.put("errors", errors(e.errors()));
        }
        String current = inForceText();
        out.put("diff", current == null ? null : LineDiff.diff(current, text));
        String casesText = body.hasNonNull("cases") ? body.get("cases").asText() : casesText();
        out.put("cases", candidate == null || casesText == null ? null : run(candidate, casesText));
        out.put("ok", candidate != null && (out.get("cases") == null
                || Boolean.TRUE.equals(((Map<?, ?>) out.get("cases")).get("ok"))));
        return Reply.ok(out);
    }

    private static Map<String, Object> run(Policy candidate, String casesText) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            PolicyCases cases = PolicyCases.parse(Path.of("cases.yaml"), casesText);
            PolicyCases.Report report = cases.run(candidate);
            List<Map<String, Object>> results = new ArrayList<>();
            for (PolicyCases.Result r : report.results()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("line", r.testCase().line());
                m.put("name", r.testCase().name());
                m.put("passed", r.passed());
                m.put("detail", r.detail());
                results.add(m);
            }
            out.put("ok", report.ok());
            out.put("passed", report.passed());
            out.put("failed", report.failed());
            out.put("results", results);
        } catch (PolicyCompileException e) {
            out.put("ok", false);
            out.put("errors", errors(e.errors()));
        }
        return out;
    }

    private String casesText() {
        if (casesFile == null) return resource("/policy/default-cases.yaml");
        return Files.isRegularFile(casesFile) ? read(casesFile) : null;
    }

    private static List<Map<String, Object>> errors(List<PolicyError> errors) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PolicyError e : errors) out.add(Map.of("line", e.line(), "column", e.column(), "message", e.message()));
        return out;
    }

    /** The stored text of the version running here (what every replica runs once the feed is fresh). */
    private String inForceText() {
        return store.get(policies.version()).map(PolicyStore.Stored::text).orElse(null);
    }

    private void reloaded(ReloadResult r) {
        if (!(r instanceof ReloadResult.Rejected x)) return;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", clock.instant().toString());
        m.put("status", "rejected");
        m.put("digest", x.digest());
        m.put("rules", null);
        synchronized (rejected) {
            rejected.addFirst(m);
            if (rejected.size() > MAX_HISTORY) rejected.removeLast();
        }
    }

    /** The stored versions (status = how each came: seed, reload, edit, rollback) and this server's rejections, newest first. */
    private List<Map<String, Object>> history() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PolicyStore.Version v : store.versions(Long.MAX_VALUE, MAX_HISTORY)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", v.createdAt().toString());
            m.put("status", v.source());
            m.put("digest", v.digest());
            m.put("rules", v.rules());
            m.put("version", v.version());
            m.put("author", v.author());
            m.put("comment", v.comment());
            m.put("running", v.version() == policies.version());
            out.add(m);
        }
        synchronized (rejected) { out.addAll(rejected); }
        out.sort(Comparator.comparing((Map<String, Object> m) -> (String) m.get("time")).reversed());
        return out.size() > MAX_HISTORY ? List.copyOf(out.subList(0, MAX_HISTORY)) : out;
    }

    private static String read(Path p) {
        try {
            return Files.size(p) > MAX_TEXT ? null : Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static String resource(String name) {
        try (InputStream in = PolicyWorkbench.class.getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
