package dev.bastion.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.policy.PolicyConflictException;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.PolicyStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The policy's history over HTTP, shared by every replica: {@code GET /bastion/v1/policy/versions} (newest first,
 * paged with {@code before} and {@code limit}) and {@code GET /bastion/v1/policy/versions/{version}} (with the
 * full text, so any two versions can be diffed) under {@code policy.read}; {@code PUT /bastion/v1/policy} (a new
 * version from text) and {@code POST /bastion/v1/policy/versions/{version}/activate} (an earlier version made the
 * next one) under {@code policy.manage}, audited as {@code policy.update}. Writes take an optional
 * {@code expected_version}: when another version was written since, 409 {@code policy_conflict}.
 */
final class PolicyHistoryApi {
    private static final long MAX_TEXT_BODY = 1024 * 1024;
    private static final int MAX_PAGE = 200;

    private final PolicyStore store;
    private final PolicyHolder policies;

    PolicyHistoryApi(PolicyStore store, PolicyHolder policies) {
        this.store = store;
        this.policies = policies;
    }

    void register(AdminRoutes routes) {
        routes.get("/bastion/v1/policy/versions", Access.to("policy.read"), this::list);
        routes.get("/bastion/v1/policy/versions/{version}", Access.to("policy.read"), this::show);
        routes.put("/bastion/v1/policy", Access.to("policy.manage").audited("policy.update", call -> PolicyApi.TARGET),
                this::edit);
        routes.post("/bastion/v1/policy/versions/{version}/activate",
                Access.to("policy.manage").audited("policy.update", call -> PolicyApi.TARGET), this::activate);
    }

    private Reply list(AdminCall call) {
        long before = call.query("before").map(v -> number(v, "before")).orElse(Long.MAX_VALUE);
        int limit = (int) Math.min(MAX_PAGE, call.query("limit").map(v -> number(v, "limit")).orElse(50L));
        if (limit < 1) throw new ProblemException(ErrorCode.INVALID_FIELD.problem("limit must be at least 1", "limit"));
        List<PolicyStore.Version> page = store.versions(before, limit);
        List<Map<String, Object>> versions = new ArrayList<>();
        for (PolicyStore.Version v : page) versions.add(view(v));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("running_version", policies.version());
        out.put("versions", versions);
        out.put("next_before", page.size() == limit ? page.getLast().version() : null);
        return Reply.ok(out);
    }

    private Reply show(AdminCall call) {
        PolicyStore.Stored s = stored(call);
        Map<String, Object> out = view(s.version());
        out.put("text", s.text());
        return Reply.ok(out);
    }

    private Reply edit(AdminCall call) {
        ObjectNode body = call.body(MAX_TEXT_BODY, Set.of("text", "comment", "expected_version"));
        JsonNode text = body.get("text");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem("text must be the policy YAML", "text"));
        }
        return write(call, text.asText(), "edit", body);
    }

    private Reply activate(AdminCall call) {
        PolicyStore.Stored s = stored(call);
        ObjectNode body = call.body(64 * 1024, Set.of("comment", "expected_version"));
        return write(call, s.text(), "rollback:" + s.version().version(), body);
    }

    private Reply write(AdminCall call, String text, String source, ObjectNode body) {
        JsonNode comment = body.get("comment");
        if (comment != null && (!comment.isTextual() || comment.asText().length() > 1000)) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem("comment must be text of at most 1000 characters",
                    "comment"));
        }
        JsonNode expected = body.get("expected_version");
        if (expected != null && !expected.canConvertToLong()) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem("expected_version must be a version number",
                    "expected_version"));
        }
        try {
            return PolicyApi.answer(call, store.write(text, call.principal().id(), source,
                    comment == null ? null : comment.asText(), expected == null ? null : expected.asLong()));
        } catch (PolicyConflictException e) {
            throw new ProblemException(ErrorCode.POLICY_CONFLICT.problem(e.getMessage())
                    .withDetail("latest_version", Long.toString(e.latest())));
        }
    }

    private PolicyStore.Stored stored(AdminCall call) {
        long version = number(call.pathParam("version"), "version");
        return store.get(version).orElseThrow(() -> new ProblemException(
                ErrorCode.NOT_FOUND.problem("no policy version " + version)));
    }

    private Map<String, Object> view(PolicyStore.Version v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", v.version());
        out.put("digest", v.digest());
        out.put("rules", v.rules());
        out.put("author", v.author());
        out.put("created_at", v.createdAt().toString());
        out.put("source", v.source());
        out.put("comment", v.comment());
        out.put("running", v.version() == policies.version());
        return out;
    }

    private static long number(String raw, String name) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem(name + " must be a whole number", name));
        }
    }
}
