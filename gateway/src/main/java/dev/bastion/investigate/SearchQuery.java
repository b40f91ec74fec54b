package dev.bastion.investigate;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an investigator asks the audit index: any combination of principal id, subject token, action, model alias,
 * decision effect, finding type, entry kind and time range; newest first, {@code limit} per page, {@code before}
 * (the last leaf index of the previous page) continues it. {@link #matches} is the same test the offline verifier applies to each
 * returned entry, so an index row that points at the wrong entry is caught.
 */
public record SearchQuery(String principal, String subject, String action, String model, String decision,
                          String finding, String kind, Instant from, Instant to, Long before, int limit) {
    public static final int MAX_LIMIT = 500;

    public SearchQuery {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        if (before != null && before < 0) throw new IllegalArgumentException("before must be a leaf index");
    }

    public SearchQuery withSubject(String token) {
        return new SearchQuery(principal, token, action, model, decision, finding, kind, from, to, before, limit);
    }

    public SearchQuery withBefore(Long index) {
        return new SearchQuery(principal, subject, action, model, decision, finding, kind, from, to, index, limit);
    }

    /** The filters as query parameters (for links and the CLI). */
    public Map<String, String> parameters() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "principal", principal);
        put(m, "subject", subject);
        put(m, "action", action);
        put(m, "model", model);
        put(m, "decision", decision);
        put(m, "finding", finding);
        put(m, "kind", kind);
        if (from != null) m.put("from", from.toString());
        if (to != null) m.put("to", to.toString());
        if (before != null) m.put("before", Long.toString(before));
        m.put("limit", Integer.toString(limit));
        return m;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) m.put(k, v);
    }

    /** Whether an entry (its canonical JSON, parsed) at {@code index} satisfies every filter (paging aside). */
    public boolean matches(long index, JsonNode entry) {
        SearchIndexer.Row r = SearchIndexer.parse(index, entry);
        if (principal != null && !principal.equals(r.principal())) return false;
        if (subject != null && !r.subjects().contains(subject)) return false;
        if (action != null && !action.equals(r.action())) return false;
        if (model != null && !model.equals(r.model())) return false;
        if (decision != null && !decision.equals(r.decision())) return false;
        if (finding != null && !r.findings().contains(finding)) return false;
        if (kind != null && !kind.equals(r.kind())) return false;
        if (from != null && r.timeMillis() < from.toEpochMilli()) return false;
        return to == null || r.timeMillis() < to.toEpochMilli();
    }
}
