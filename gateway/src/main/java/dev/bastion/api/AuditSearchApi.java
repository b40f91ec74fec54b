package dev.bastion.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.investigate.AuditSearch;
import dev.bastion.investigate.SearchJson;
import dev.bastion.investigate.SearchQuery;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.privacy.SubjectTokens;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Investigator search over the audit log. {@code GET /bastion/v1/audit/search} and {@code POST} (the same filters
 * in a body) filter by principal, subject token, action, model, decision, finding type, kind and time range
 * ({@code audit.read}); {@code POST /bastion/v1/audit/search/by-subject} takes a raw {@code subject_id}, which needs
 * {@code audit.subject.read} (a declared investigation purpose under the shipped policy), and turns it into the
 * subject's token — the id is never stored or logged. Every result carries its leaf index and inclusion proof
 * against the signed checkpoint in the answer.
 */
public final class AuditSearchApi {
    private static final Set<String> FILTERS = Set.of("principal", "subject", "action", "model", "decision",
            "finding", "kind", "from", "to", "before", "limit");

    private final AuditSearch search;
    private final SubjectTokens tokens;

    public AuditSearchApi(AuditSearch search, SubjectTokens tokens) {
        this.search = search;
        this.tokens = tokens;
    }

    /** Register before {@link AuditApi}, whose tile route matches every GET under {@code /bastion/v1/audit/}. */
    public void register(AdminRoutes routes) {
        routes.get("/bastion/v1/audit/search", Access.to(AuditApi.ACTION), this::get);
        routes.post("/bastion/v1/audit/search", Access.to(AuditApi.ACTION), this::post);
        routes.post("/bastion/v1/audit/search/by-subject", Access.to("audit.subject.read"), this::bySubject);
    }

    private Reply get(AdminCall call) {
        Map<String, String> fields = new HashMap<>();
        for (String name : FILTERS) call.query(name).ifPresent(v -> fields.put(name, v));
        return answer(query(fields::get));
    }

    private Reply post(AdminCall call) {
        return answer(query(fields(call.body(8 * 1024, FILTERS))::get));
    }

    private Reply bySubject(AdminCall call) {
        Set<String> allowed = new HashSet<>(FILTERS);
        allowed.remove("subject");
        allowed.add("subject_id");
        Map<String, String> fields = fields(call.body(8 * 1024, allowed));
        ObjectNode idBody = JsonNodeFactory.instance.objectNode();
        if (fields.containsKey("subject_id")) idBody.put("subject", fields.get("subject_id"));
        String id = ConsentApi.subjectId(idBody);
        SearchQuery q = query(fields::get);
        var token = tokens.existing(id);
        // nobody computes a token for an id Bastion never saw (or erased): there is nothing to find
        if (token.isEmpty()) return Reply.ok(Map.of("object", "audit.search", "results", List.of()));
        return answer(q.withSubject(token.get().token()));
    }

    private Reply answer(SearchQuery q) {
        try {
            return Reply.ok(SearchJson.page(q, search.search(q)));
        } catch (AuditUnavailableException e) {
            throw new ProblemException(ErrorCode.AUDIT_UNAVAILABLE.problem("the audit log cannot be read right now"));
        }
    }

    private static Map<String, String> fields(ObjectNode body) {
        Map<String, String> out = new HashMap<>();
        for (var e : body.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) continue;
            if (!v.isTextual() && !v.isIntegralNumber()) {
                throw ConsentApi.invalid(e.getKey(), e.getKey() + " must be a string");
            }
            out.put(e.getKey(), v.asText());
        }
        return out;
    }

    private static SearchQuery query(Function<String, String> p) {
        String decision = p.apply("decision");
        if (decision != null && !Set.of("permit", "forbid", "deny").contains(decision)) {
            throw ConsentApi.invalid("decision", "decision must be permit, forbid or deny");
        }
        int limit = (int) Queries.number("limit", p.apply("limit"), 50, 1, SearchQuery.MAX_LIMIT);
        long before = Queries.number("before", p.apply("before"), -1, 0, Long.MAX_VALUE);
        return new SearchQuery(Queries.label("principal", p.apply("principal")),
                Queries.label("subject", p.apply("subject")), Queries.label("action", p.apply("action")),
                Queries.label("model", p.apply("model")), decision, Queries.label("finding", p.apply("finding")),
                Queries.label("kind", p.apply("kind")), Queries.time("from", p.apply("from")),
                Queries.time("to", p.apply("to")), before < 0 ? null : before, limit);
    }
}
