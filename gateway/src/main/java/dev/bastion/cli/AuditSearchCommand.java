package dev.bastion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.investigate.SearchJson;
import dev.bastion.investigate.SearchQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bastion audit search}: investigator search on a running server. With {@code --key} every result is
 * checked here, offline: the checkpoint's signature, the inclusion proof, and that the entry really matches the
 * search — so a wrong index on the server cannot go unnoticed. {@code --subject-id} sends the raw id in a body
 * with the declared purpose (policy decides); the server turns it into the subject's token.
 */
@Command(name = "search", mixinStandardHelpOptions = true, description = "Search the audit log (results carry proofs).")
final class AuditSearchCommand extends OperatorCommand.Base {
    @Option(names = "--principal") String principal;
    @Option(names = "--subject", description = "subject token") String subject;
    @Option(names = "--subject-id", description = "raw subject id (needs an investigation purpose)") String subjectId;
    @Option(names = "--purpose", description = "declared purpose (X-Bastion-Purpose)") String purpose;
    @Option(names = "--action") String action;
    @Option(names = "--model") String model;
    @Option(names = "--decision", description = "permit, forbid or deny") String decision;
    @Option(names = "--finding", description = "finding type, e.g. EMAIL_ADDRESS") String finding;
    @Option(names = "--kind", description = "request, complete, refused, admin, erasure, retention, …") String kind;
    @Option(names = "--from", description = "RFC 3339, inclusive") String from;
    @Option(names = "--to", description = "RFC 3339, exclusive") String to;
    @Option(names = "--before", description = "continue before this leaf index") Long before;
    @Option(names = "--limit", defaultValue = "50") int limit;
    @Option(names = "--key", description = "the audit log's verifier key: check every result") String key;
    @Option(names = "--json", description = "print the answer as JSON") boolean json;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> filters = new LinkedHashMap<>();
        put(filters, "principal", principal);
        put(filters, "subject", subject);
        put(filters, "action", action);
        put(filters, "model", model);
        put(filters, "decision", decision);
        put(filters, "finding", finding);
        put(filters, "kind", kind);
        put(filters, "from", from);
        put(filters, "to", to);
        if (before != null) filters.put("before", before);
        filters.put("limit", limit);
        Map<String, Object> body = new LinkedHashMap<>(filters);
        put(body, "subject_id", subjectId);
        String path = subjectId == null ? "/bastion/v1/audit/search" : "/bastion/v1/audit/search/by-subject";
        HttpResponse<String> r = target.call("POST", path, body, true,
                purpose == null ? Map.of() : Map.of("X-Bastion-Purpose", purpose));
        if (r.statusCode() != 200) return print(r);
        JsonNode page = ConsentsCommand.json().readTree(r.body());
        PrintWriter out = spec.commandLine().getOut();
        if (json) out.println(r.body());
        else for (JsonNode h : page.path("results")) out.println(line(h));
        if (key == null) return AuditCommand.OK;
        // the server searched for the subject's token (it says which); the entries must name that token
        String token = subjectId != null ? page.path("query").path("subject").asText(null) : subject;
        SearchQuery q = new SearchQuery(principal, token, action, model, decision, finding,
                kind, from == null ? null : Instant.parse(from), to == null ? null : Instant.parse(to), before, limit);
        SearchJson.Verification v = SearchJson.verify(page, q, key);
        PrintWriter report = v.ok() ? out : spec.commandLine().getErr();
        report.println((v.ok() ? "verified: " : "NOT verified: ") + v.proven() + " proven, " + v.pending()
                + " pending (after the checkpoint)");
        v.failures().forEach(f -> report.println("  " + f));
        return v.ok() ? AuditCommand.OK : AuditCommand.FAILED;
    }

    private static String line(JsonNode h) {
        JsonNode e = h.path("entry");
        return h.path("index").asLong() + "  " + e.path("time").asText("-") + "  " + e.path("kind").asText("-")
                + "  " + e.path("principal").path("id").asText("-") + "  " + e.path("action").asText("-")
                + "  " + e.path("model").path("alias").asText("-") + "  " + e.path("decision").path("effect").asText("-")
                + (h.path("pending").asBoolean(false) ? "  (pending)" : "");
    }

    private static void put(Map<String, Object> m, String k, String v) {
        if (v != null) m.put(k, v);
    }
}
