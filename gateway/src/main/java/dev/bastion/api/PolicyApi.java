package dev.bastion.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.audit.Actor;
import dev.bastion.audit.AdminLog;
import dev.bastion.audit.AdminOutcome;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.policy.Decision;
import dev.bastion.policy.Explanation;
import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyError;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.PolicyInputs;
import dev.bastion.policy.PolicyRequest;
import dev.bastion.policy.PolicyStore;
import dev.bastion.policy.ReloadResult;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running policy over HTTP: {@code GET /bastion/v1/policy} ({@code policy.read}: digest, format version, rule
 * ids, last reload), {@code POST /bastion/v1/policy/reload} ({@code policy.manage}: an invalid file keeps the old
 * policy and answers 422 {@code policy_invalid} with {@code file:line:column} errors; audited with the digest), and
 * {@code POST /bastion/v1/policy/simulate} ({@code policy.simulate}: would this be allowed, and why).
 */
public final class PolicyApi {
    static final String TARGET = "policy:default";
    /** Who reloads when the file changes on disk and nobody asked over HTTP. */
    static final Actor FILE_WATCH = Actor.of(PolicyHolder.FILE_WATCH, List.of(), "local");
    private static final long MAX_SIMULATE_BODY = 64 * 1024;

    private final PolicyHolder policies;
    private final PolicyStore store;
    private final String source;
    private final Clock clock;
    private final AdminLog audit;

    /** @param source what to show as the policy's origin: the file path, or {@code built-in} */
    public PolicyApi(PolicyHolder policies, PolicyStore store, String source, Clock clock, AdminLog audit) {
        this.policies = policies;
        this.store = store;
        this.source = source;
        this.clock = clock;
        this.audit = audit;
        policies.addListener(this::auditFileReload);
    }

    public void register(AdminRoutes routes) {
        routes.get("/bastion/v1/policy", Access.to("policy.read"), this::show);
        routes.post("/bastion/v1/policy/reload", Access.to("policy.manage").audited("policy.update", call -> TARGET),
                this::reload);
        routes.post("/bastion/v1/policy/simulate", Access.to("policy.simulate"), this::simulate);
        new PolicyHistoryApi(store, policies).register(routes);
    }

    private Reply show(AdminCall call) {
        Policy p = policies.current();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source);
        out.put("digest", p.digest());
        out.put("version", p.formatVersion());
        out.put("rules", p.ruleCount());
        out.put("rule_ids", p.ruleIds());
        out.put("purposes", List.copyOf(new java.util.TreeSet<>(p.purposes())));
        out.put("running_version", policies.version());
        out.put("fresh", policies.isFresh());
        out.put("last_reload", view(policies.lastResult()));
        return Reply.ok(out);
    }

    /** Reads the configured file again; when it changed, it becomes the next stored version on every replica. */
    private Reply reload(AdminCall call) {
        if (policies.file() == null) return answer(call, new PolicyStore.Change(policies.reload(), policies.version(), null));
        return answer(call, store.reloadFile(policies.file(), call.principal().id()));
    }

    /** The answer to a policy write: 422 with the errors, else the result, the version running and its propagation. */
    static Reply answer(AdminCall call, PolicyStore.Change change) {
        ReloadResult result = change.result();
        call.outcome(outcome(result));
        if (result instanceof ReloadResult.Rejected rejected) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("message", "the new policy is invalid; the previous policy keeps running");
            error.put("type", ErrorCode.POLICY_INVALID.type());
            error.put("param", null);
            error.put("code", ErrorCode.POLICY_INVALID.code());
            error.put("errors", errors(rejected.errors()));
            error.put("digest", rejected.digest());
            return Reply.json(ErrorCode.POLICY_INVALID.status(), Map.of("error", error))
                    .errorCode(ErrorCode.POLICY_INVALID.code());
        }
        Map<String, Object> out = view(result);
        out.put("version", change.version());
        if (change.propagation() != null) {
            // confirmed: every live replica runs this version; otherwise the lagging ones no longer serve
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("confirmed", change.propagation().confirmed());
            p.put("applied_by", change.propagation().appliedBy());
            p.put("lagging", change.propagation().lagging());
            out.put("propagation", p);
        }
        return Reply.ok(out);
    }

    private Reply simulate(AdminCall call) {
        ObjectNode body = call.body(MAX_SIMULATE_BODY);
        PolicyRequest request;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> input = Responses.JSON.convertValue(body, Map.class);
            request = PolicyInputs.request(input, clock.instant());
        } catch (IllegalArgumentException e) {
            // PolicyInputs names the field, never the value
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem(e.getMessage()));
        }
        Explanation x = policies.simulate(request);
        Decision d = x.decision();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("allowed", d.allowed());
        out.put("reason", d.reason().code());
        out.put("error_code", d.allowed() ? null : d.reason().errorCode().code());
        out.put("rule_ids", d.ruleIds());
        out.put("obligation_rule_ids", d.obligationRuleIds());
        out.put("obligations", d.obligations().toMap());
        out.put("policy_digest", d.policyDigest());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Explanation.Step s : x.steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("rule", s.ruleId());
            step.put("effect", s.effect().wire());
            step.put("line", s.line());
            step.put("outcome", s.outcome());
            steps.add(step);
        }
        out.put("steps", steps);
        return Reply.ok(out);
    }

    /** A reload the file watcher made: audited as the system's own policy change (rejections too). */
    private void auditFileReload(ReloadResult result) {
        if (result instanceof ReloadResult.Unchanged) return;
        AdminOutcome o = outcome(result);
        audit.afterTheFact(RequestIds.next(), FILE_WATCH, null, "policy.update", TARGET, o.policyDigest(), o.outcome());
    }

    static AdminOutcome outcome(ReloadResult r) {
        return switch (r) {
            case ReloadResult.Applied a -> new AdminOutcome("succeeded", null, a.digest());
            case ReloadResult.Unchanged u -> new AdminOutcome("unchanged", null, u.digest());
            case ReloadResult.Rejected x -> new AdminOutcome("rejected", null, x.digest());
        };
    }

    private static Map<String, Object> view(ReloadResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (r) {
            case ReloadResult.Applied a -> {
                out.put("status", "applied");
                if (!a.previousDigest().isEmpty()) out.put("previous_digest", a.previousDigest());
                out.put("digest", a.digest());
                out.put("rules", a.rules());
            }
            case ReloadResult.Unchanged u -> {
                out.put("status", "unchanged");
                out.put("digest", u.digest());
            }
            case ReloadResult.Rejected x -> {
                out.put("status", "rejected");
                out.put("digest", x.digest());
                out.put("errors", errors(x.errors()));
            }
        }
        return out;
    }

    private static List<String> errors(List<PolicyError> errors) {
        return errors.stream().map(PolicyError::toString).toList();
    }
}
