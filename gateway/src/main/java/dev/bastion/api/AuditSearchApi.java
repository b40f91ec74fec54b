package dev.bastion.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.investigate.AuditSearch;
import dev.bastion.investigate.SearchJson;
import dev.bastion.investigate.SearchQuery;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.privacy.SubjectTokens;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Investigator search over the audit log: {@code GET /bastion/v1/audit/search} filters by principal, subject
 * token, action, model, decision, finding type, kind and time range ({@code audit.read}); {@code POST} takes the
 * same filters in a body and may name a raw {@code subject_id}, which needs {@code audit.subject.read} (a declared
 * investigation purpose under the shipped policy) and is turned into the subject's token, never stored or logged.
 * Every result carries its leaf index and inclusion proof against the signed checkpoint in the answer.
 */
public final class AuditSearchApi {
    private static final Set<String> FILTERS = Set.of("principal", "subject", "action", "model", "decision",
            "finding", "kind", "from", "to", "before", "limit");

    private final AuditSearch search;
    private final SubjectTokens tokens;
    private final AdminGuard guard;
    private final JsonBodies json;

    public AuditSearchApi(AuditSearch search, SubjectTokens tokens, AdminGuard guard, JsonBodies json) {
        this.search = search;
        this.tokens = tokens;
        this.guard = guard;
        this.json = json;
    }

    /** Register before {@link AuditApi}, whose tile route matches every path under {@code /bastion/v1/audit/}. */
    public void register(HttpRouting.Builder routing) {
        routing.get("/bastion/v1/audit/search", Responses.guarded(this::get));
        routing.post("/bastion/v1/audit/search", Responses.guarded(this::post));
    }

    private void get(ServerRequest req, ServerResponse res) {
        guard.require(req, AuditApi.ACTION);
        for (String name : req.query().names()) {
            if (!FILTERS.contains(name)) throw ConsentApi.invalid(name.length() <= 32 ? name : null, "unknown filter");
        }
        SearchQuery q = query(name -> req.query().first(name).orElse(null));
        answer(res, q);
    }

    private void post(ServerRequest req, ServerResponse res) {
        ObjectNode body = json.readObject(req, 8 * 1024);
        Set<String> allowed = new java.util.HashSet<>(FILTERS);
        allowed.add("subject_id");
        JsonBodies.onlyFields(body, allowed);
        boolean byId = body.hasNonNull("subject_id");
        guard.require(req, byId ? "audit.subject.read" : AuditApi.ACTION);
        Map<String, String> fields = new HashMap<>();
        for (var e : body.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) continue;
            if (!v.isTextual() && !v.isIntegralNumber()) throw ConsentApi.invalid(e.getKey(), e.getKey() + " must be a string");
            fields.put(e.getKey(), v.asText());
        }
        SearchQuery q = query(fields::get);
        if (byId) {
            if (q.subject() != null) throw ConsentApi.invalid("subject", "give subject or subject_id, not both");
            ObjectNode idBody = json.mapper().createObjectNode().put("subject", fields.get("subject_id"));
            String id = ConsentApi.subjectId(idBody);
            var token = tokens.existing(id);
            if (token.isEmpty()) {
                // nobody computes a token for an id Bastion never saw (or erased): there is nothing to find
                Responses.json(res, 200, Map.of("object", "audit.search", "results", java.util.List.of()));
                return;
            }
            q = q.withSubject(token.get().token());
        }
        answer(res, q);
    }

    private void answer(ServerResponse res, SearchQuery q) {
        AuditSearch.Page page;
        try {
            page = search.search(q);
        } catch (AuditUnavailableException e) {
            throw new ProblemException(ErrorCode.AUDIT_UNAVAILABLE.problem("the audit log cannot be read right now"));
        }
        Responses.json(res, 200, SearchJson.page(q, page));
    }

    private static SearchQuery query(Function<String, String> p) {
        String decision = p.apply("decision");
        if (decision != null && !Set.of("permit", "forbid", "deny").contains(decision)) {
            throw ConsentApi.invalid("decision", "decision must be permit, forbid or deny");
        }
        String limit = p.apply("limit");
        int n;
        Long before = null;
        try {
            n = limit == null ? 50 : Integer.parseInt(limit);
            if (n < 1 || n > SearchQuery.MAX_LIMIT) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw ConsentApi.invalid("limit", "limit must be an integer from 1 to " + SearchQuery.MAX_LIMIT);
        }
        if (p.apply("before") != null) {
            try {
                before = Long.parseLong(p.apply("before"));
                if (before < 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw ConsentApi.invalid("before", "before must be a leaf index");
            }
        }
        return new SearchQuery(Queries.label("principal", p.apply("principal")),
                Queries.label("subject", p.apply("subject")), Queries.label("action", p.apply("action")),
                Queries.label("model", p.apply("model")), decision, Queries.label("finding", p.apply("finding")),
                Queries.label("kind", p.apply("kind")), Queries.time("from", p.apply("from")),
                Queries.time("to", p.apply("to")), before, n);
    }
}
