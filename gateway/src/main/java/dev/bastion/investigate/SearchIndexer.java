package dev.bastion.investigate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Fills the search index beside the audit log ({@code audit_search} and its subject and finding tables) from
 * sequenced entries. Each row holds only what its own entry states, so every search result can be checked against
 * the entry itself (a complete entry points at its accept entry by {@code accept_index}). An entry that does not
 * parse is indexed by kind only.
 */
public final class SearchIndexer implements AuditFollower.Consumer {
    public static final String FOLLOWER = "search-index";
    private static final Logger LOG = Logger.getLogger(SearchIndexer.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The indexed fields of one entry. */
    record Row(long index, long timeMillis, String kind, String principal, String action, String model,
               String decision, String purpose, String classification, List<String> subjects, List<String> findings) {}

    @Override
    public void write(List<AuditFollower.LogEntry> batch, Connection tx) throws SQLException {
        try (PreparedStatement row = tx.prepareStatement("INSERT INTO audit_search (idx, time_ms, kind, principal, "
                + "action, model, decision, purpose, classification) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (idx) DO NOTHING");
             PreparedStatement subj = tx.prepareStatement("INSERT INTO audit_search_subjects (subject, idx) "
                     + "VALUES (?, ?) ON CONFLICT (subject, idx) DO NOTHING");
             PreparedStatement find = tx.prepareStatement("INSERT INTO audit_search_findings (finding, idx) "
                     + "VALUES (?, ?) ON CONFLICT (finding, idx) DO NOTHING")) {
            for (AuditFollower.LogEntry e : batch) {
                Row r = row(e, tx);
                row.setLong(1, r.index());
                row.setLong(2, r.timeMillis());
                row.setString(3, r.kind());
                row.setString(4, r.principal());
                row.setString(5, r.action());
                row.setString(6, r.model());
                row.setString(7, r.decision());
                row.setString(8, r.purpose());
                row.setString(9, r.classification());
                row.addBatch();
                for (String s : r.subjects()) {
                    subj.setString(1, s);
                    subj.setLong(2, r.index());
                    subj.addBatch();
                }
                for (String f : r.findings()) {
                    find.setString(1, f);
                    find.setLong(2, r.index());
                    find.addBatch();
                }
            }
            row.executeBatch();
            subj.executeBatch();
            find.executeBatch();
        }
    }

    /** The index row of an entry (reads the accept entry's row for a complete entry). */
    static Row row(AuditFollower.LogEntry e, Connection tx) {
        JsonNode n;
        try {
            n = JSON.readTree(e.data());
        } catch (IOException ex) {
            LOG.warning("audit entry " + e.index() + " is not JSON; indexed without fields");
            return new Row(e.index(), 0, "unknown", null, null, null, null, null, null, List.of(), List.of());
        }
        return parse(e.index(), n);
    }

    /** The indexed fields as the entry states them. */
    static Row parse(long index, JsonNode n) {
        long time;
        try {
            time = Instant.parse(n.path("time").asText()).toEpochMilli();
        } catch (RuntimeException ex) {
            time = 0;
        }
        List<String> subjects = new ArrayList<>();
        n.path("subjects").forEach(s -> subjects.add(s.asText()));
        List<String> findings = new ArrayList<>();
        n.path("findings").fieldNames().forEachRemaining(findings::add);
        return new Row(index, time, shortKind(n.path("kind").asText()), text(n.path("principal").path("id")),
                text(n.path("action")), text(n.path("model").path("alias")), text(n.path("decision").path("effect")),
                text(n.path("purpose")), text(n.path("classification")), subjects, findings);
    }

    /** {@code bastion.audit.request/v1} → {@code request}. */
    static String shortKind(String kind) {
        if (!kind.startsWith("bastion.audit.")) return "unknown";
        int slash = kind.indexOf('/');
        return kind.substring("bastion.audit.".length(), slash < 0 ? kind.length() : slash);
    }

    private static String text(JsonNode n) { return n.isTextual() ? n.asText() : null; }
}
