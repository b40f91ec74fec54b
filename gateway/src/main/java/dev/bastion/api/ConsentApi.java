package dev.bastion.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.audit.AdminOutcome;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.privacy.Consent;
import dev.bastion.privacy.ConsentChange;
import dev.bastion.privacy.ConsentImport;
import dev.bastion.privacy.ConsentJson;
import dev.bastion.privacy.ConsentRegistry;
import dev.bastion.store.ChangeFeed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The consent and purpose registry under {@code /bastion/v1/consents}: record a grant or withdrawal, list the
 * registry (subjects as tokens), look up one subject's records, bulk import (CSV or JSON lines), and the CCPA
 * opt-out of sale/sharing. Subject ids travel only in request bodies, never in URLs or audit records. Writes need
 * {@code consent.manage} and are audited; they return once every live replica applied them (202 when a replica
 * did not confirm in time: it is then no longer fresh and refuses requests naming subjects).
 */
public final class ConsentApi {
    private static final long MAX_IMPORT = 16L * 1024 * 1024;

    private final ConsentRegistry registry;
    private final PolicyHolder policies;

    public ConsentApi(ConsentRegistry registry, PolicyHolder policies) {
        this.registry = registry;
        this.policies = policies;
    }

    public void register(AdminRoutes routes) {
        Access manage = Access.to("consent.manage");
        Access read = Access.to("consent.read");
        routes.post("/bastion/v1/consents", manage.audited("consent.change"), this::record);
        routes.get("/bastion/v1/consents", read, this::list);
        routes.post("/bastion/v1/consents/lookup", read, this::lookup);
        routes.post("/bastion/v1/consents/import", manage.audited("consent.import"), this::importAll);
        routes.post("/bastion/v1/subjects/sale-opt-out", manage.audited("subject.sale_opt_out"), this::saleOptOut);
    }

    private Reply record(AdminCall call) {
        ConsentChange change = change(call.body(16 * 1024, ConsentImport.FIELDS));
        ConsentRegistry.Written w = registry.record(List.of(change), call.principal().id());
        String state = change.granted() ? "granted" : "withdrawn";
        call.outcome(new AdminOutcome(state, "purpose:" + change.purpose(), null));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "consent.change");
        out.put("subject", w.subjects().getFirst());
        out.put("purpose", change.purpose());
        out.put("state", state);
        out.put("basis", change.basis().wire());
        out.put("propagation", propagation(w.propagation()));
        return Reply.json(w.propagation().confirmed() ? 200 : 202, out);
    }

    private Reply list(AdminCall call) {
        String purpose = call.query("purpose").orElse(null);
        String state = call.query("state").orElse(null);
        if (state != null && !state.equals("granted") && !state.equals("withdrawn")) {
            throw invalid("state", "state must be granted or withdrawn");
        }
        int limit = Queries.limit(call, 100, 1000);
        List<Consent> page;
        try {
            page = registry.page(purpose, state == null ? null : state.equals("granted"),
                    call.query("after").orElse(null), limit);
        } catch (IllegalArgumentException e) {
            throw invalid("after", "after must be the next_after of a previous page");
        }
        List<Object> data = new ArrayList<>();
        page.forEach(c -> data.add(ConsentJson.view(c)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "list");
        out.put("data", data);
        out.put("next_after", page.size() == limit ? ConsentRegistry.cursor(page.getLast()) : null);
        return Reply.ok(out);
    }

    private Reply lookup(AdminCall call) {
        String subject = subjectId(call.body(4 * 1024, Set.of("subject")));
        List<Object> data = new ArrayList<>();
        registry.of(subject).orElse(List.of()).forEach(c -> data.add(ConsentJson.view(c)));
        return Reply.ok(Map.of("object", "list", "data", data));
    }

    private Reply importAll(AdminCall call) {
        String type = String.valueOf(call.exchange().header("Content-Type")).toLowerCase(Locale.ROOT);
        boolean csv = type.startsWith("text/csv");
        if (!csv && !type.startsWith("application/x-ndjson") && !type.startsWith("application/jsonl")) {
            throw new ProblemException(ErrorCode.UNSUPPORTED_MEDIA_TYPE.problem(
                    "import takes text/csv or application/x-ndjson (JSON lines)"));
        }
        List<ConsentChange> changes;
        try {
            changes = ConsentImport.parse(call.exchange().readBody(MAX_IMPORT), csv, policies.current().purposes());
        } catch (IllegalArgumentException e) {
            throw invalid(null, "import refused, nothing recorded: " + e.getMessage());
        }
        if (changes.isEmpty()) throw invalid(null, "the import holds no records");
        ConsentRegistry.Written w = registry.record(changes, call.principal().id());
        call.outcome(AdminOutcome.target("consents:" + changes.size()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "consent.import");
        out.put("records", w.records());
        out.put("subjects", w.subjects().size());
        out.put("propagation", propagation(w.propagation()));
        return Reply.json(w.propagation().confirmed() ? 200 : 202, out);
    }

    private Reply saleOptOut(AdminCall call) {
        ObjectNode body = call.body(4 * 1024, Set.of("subject", "opt_out"));
        String subject = subjectId(body);
        if (!body.path("opt_out").isBoolean()) throw invalid("opt_out", "opt_out must be true or false");
        boolean optOut = body.path("opt_out").asBoolean();
        ConsentRegistry.Written w = registry.saleOptOut(subject, optOut);
        call.outcome(AdminOutcome.of(optOut ? "opted_out" : "opted_in"));
        return Reply.json(w.propagation().confirmed() ? 200 : 202, Map.of("object", "subject.flags",
                "subject", w.subjects().getFirst(), "sale_opt_out", optOut, "propagation", propagation(w.propagation())));
    }

    private ConsentChange change(ObjectNode body) {
        try {
            return ConsentImport.change(ConsentImport.fields(body), policies.current().purposes());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            String field = m.contains(":") ? m.substring(0, m.indexOf(':')) : null;
            if (field != null && !ConsentImport.FIELDS.contains(field)) field = null;
            if (("subject".equals(field) || "purpose".equals(field)) && !body.hasNonNull(field)) {
                throw new ProblemException(ErrorCode.MISSING_FIELD.problem(m, field));
            }
            throw invalid(field, m);
        }
    }

    /** The subject id of a body: validated like the header, never echoed. */
    static String subjectId(ObjectNode body) {
        if (!body.hasNonNull("subject")) {
            throw new ProblemException(ErrorCode.MISSING_FIELD.problem("'subject' is required", "subject"));
        }
        String s = body.path("subject").asText("");
        if (!body.path("subject").isTextual() || !s.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw invalid("subject", "subject must be 1 to 128 letters, digits or . _ : -");
        }
        return s;
    }

    static Map<String, Object> propagation(ChangeFeed.Propagation p) {
        return Map.of("confirmed", p.confirmed(), "applied_by", p.appliedBy(), "lagging", p.lagging());
    }

    static ProblemException invalid(String field, String message) {
        return new ProblemException(ErrorCode.INVALID_FIELD.problem(message, field));
    }
}
