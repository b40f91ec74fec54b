package dev.bastion.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.privacy.Consent;
import dev.bastion.privacy.ConsentChange;
import dev.bastion.privacy.ConsentImport;
import dev.bastion.privacy.ConsentJson;
import dev.bastion.privacy.ConsentRegistry;
import dev.bastion.store.ChangeFeed;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The consent and purpose registry under {@code /bastion/v1/consents}: record a grant or withdrawal, list the
 * registry (subjects as tokens), look up one subject's records, bulk import (CSV or JSON lines), and the CCPA
 * opt-out of sale/sharing. Subject ids travel only in request bodies, never in URLs or audit records. Writes need
 * {@code consent.manage} and are audited; they return once every live replica applied them.
 */
public final class ConsentApi {
    private static final long MAX_IMPORT = 16L * 1024 * 1024;

    private final ConsentRegistry registry;
    private final PolicyHolder policies;
    private final AdminGuard guard;
    private final JsonBodies json;
    private final AdminAudit audit;

    public ConsentApi(ConsentRegistry registry, PolicyHolder policies, AdminGuard guard, JsonBodies json, AdminAudit audit) {
        this.registry = registry;
        this.policies = policies;
        this.guard = guard;
        this.json = json;
        this.audit = audit;
    }

    public void register(HttpRouting.Builder routing) {
        routing.post("/bastion/v1/consents", Responses.guarded(this::record));
        routing.get("/bastion/v1/consents", Responses.guarded(this::list));
        routing.post("/bastion/v1/consents/lookup", Responses.guarded(this::lookup));
        routing.post("/bastion/v1/consents/import", Responses.guarded(this::importAll));
        routing.post("/bastion/v1/subjects/sale-opt-out", Responses.guarded(this::saleOptOut));
    }

    private void record(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "consent.manage");
        ObjectNode body = json.readObject(req, 16 * 1024);
        ConsentChange change = change(body);
        ConsentRegistry.Written w = audit.audited(req, who, change.granted() ? "consent.grant" : "consent.withdraw",
                "purpose:" + change.purpose(), () -> registry.record(List.of(change), who.id()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "consent.change");
        out.put("subject", w.subjects().getFirst());
        out.put("purpose", change.purpose());
        out.put("state", change.granted() ? "granted" : "withdrawn");
        out.put("basis", change.basis().wire());
        out.put("propagation", propagation(w.propagation()));
        Responses.json(res, w.propagation().confirmed() ? 200 : 202, out);
    }

    private void list(ServerRequest req, ServerResponse res) {
        guard.require(req, "consent.read");
        String purpose = req.query().first("purpose").orElse(null);
        String state = req.query().first("state").orElse(null);
        if (state != null && !state.equals("granted") && !state.equals("withdrawn")) {
            throw invalid("state", "state must be granted or withdrawn");
        }
        int limit = Queries.limit(req, 100, 1000);
        List<Consent> page;
        try {
            page = registry.page(purpose, state == null ? null : state.equals("granted"),
                    req.query().first("after").orElse(null), limit);
        } catch (IllegalArgumentException e) {
            throw invalid("after", "after must be the next_after of a previous page");
        }
        List<Object> data = new ArrayList<>();
        page.forEach(c -> data.add(ConsentJson.view(c)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "list");
        out.put("data", data);
        out.put("next_after", page.size() == limit ? ConsentRegistry.cursor(page.getLast()) : null);
        Responses.json(res, 200, out);
    }

    private void lookup(ServerRequest req, ServerResponse res) {
        guard.require(req, "consent.read");
        ObjectNode body = json.readObject(req, 4 * 1024);
        JsonBodies.onlyFields(body, Set.of("subject"));
        String subject = subjectId(body);
        List<Object> data = new ArrayList<>();
        registry.of(subject).orElse(List.of()).forEach(c -> data.add(ConsentJson.view(c)));
        Responses.json(res, 200, Map.of("object", "list", "data", data));
    }

    private void importAll(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "consent.manage");
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("").toLowerCase(java.util.Locale.ROOT);
        boolean csv = type.startsWith("text/csv");
        if (!csv && !type.startsWith("application/x-ndjson") && !type.startsWith("application/jsonl")) {
            throw new ProblemException(ErrorCode.UNSUPPORTED_MEDIA_TYPE.problem(
                    "import takes text/csv or application/x-ndjson (JSON lines)"));
        }
        byte[] body = new BoundedBody(req, json.bodyDeadline()).read(MAX_IMPORT);
        List<ConsentChange> changes;
        try {
            changes = ConsentImport.parse(body, csv, policies.current().purposes());
        } catch (IllegalArgumentException e) {
            throw invalid(null, "import refused, nothing recorded: " + e.getMessage());
        }
        if (changes.isEmpty()) throw invalid(null, "the import holds no records");
        ConsentRegistry.Written w = audit.audited(req, who, "consent.import", "consents:" + changes.size(),
                () -> registry.record(changes, who.id()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "consent.import");
        out.put("records", w.records());
        out.put("subjects", w.subjects().size());
        out.put("propagation", propagation(w.propagation()));
        Responses.json(res, w.propagation().confirmed() ? 200 : 202, out);
    }

    private void saleOptOut(ServerRequest req, ServerResponse res) {
        Principal who = guard.require(req, "consent.manage");
        ObjectNode body = json.readObject(req, 4 * 1024);
        JsonBodies.onlyFields(body, Set.of("subject", "opt_out"));
        String subject = subjectId(body);
        if (!body.path("opt_out").isBoolean()) throw invalid("opt_out", "opt_out must be true or false");
        boolean optOut = body.path("opt_out").asBoolean();
        ConsentRegistry.Written w = audit.audited(req, who, optOut ? "subject.sale_opt_out" : "subject.sale_opt_in",
                null, () -> registry.saleOptOut(subject, optOut));
        Responses.json(res, w.propagation().confirmed() ? 200 : 202, Map.of("object", "subject.flags",
                "subject", w.subjects().getFirst(), "sale_opt_out", optOut, "propagation", propagation(w.propagation())));
    }

    private ConsentChange change(ObjectNode body) {
        JsonBodies.onlyFields(body, ConsentImport.FIELDS);
        try {
            return ConsentImport.change(ConsentImport.fields(body), policies.current().purposes());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            String field = m.contains(":") ? m.substring(0, m.indexOf(':')) : null;
            if (field != null && !ConsentImport.FIELDS.contains(field)) field = null;
            if ("subject".equals(field) || "purpose".equals(field)) {
                if (!body.hasNonNull(field)) throw new ProblemException(ErrorCode.MISSING_FIELD.problem(m, field));
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
