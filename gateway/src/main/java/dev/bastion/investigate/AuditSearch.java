package dev.bastion.investigate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.audit.AuditLogReader;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.Note;
import dev.bastion.audit.tlog.TlogException;
import dev.bastion.store.Database;
import dev.bastion.store.StoreException;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Investigator search over the index beside the audit log. The index only nominates leaf indexes: each result is
 * the entry read back from the log, checked against the query, with its inclusion proof against the latest signed
 * checkpoint (entries sequenced after it come back marked pending, without a proof).
 */
public final class AuditSearch {
    private static final Logger LOG = Logger.getLogger(AuditSearch.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One result: leaf index, the entry's exact bytes, and its inclusion proof (null while pending). */
    public record Hit(long index, byte[] entry, List<byte[]> proof) {}

    /**
     * A page of results, newest first, with the checkpoint their proofs lead to. {@code next} continues the search
     * ({@code before} of the next page), null at the end; {@code indexedThrough} is how far the index reaches.
     */
    public record Page(List<Hit> hits, byte[] checkpoint, long checkpointSize, Long next, long indexedThrough) {}

    private final Database db;
    private final AuditLogReader reader;
    private final AuditFollower indexer;

    public AuditSearch(Database db, AuditLogReader reader, AuditFollower indexer) {
        this.db = db;
        this.reader = reader;
        this.indexer = indexer;
    }

    public Page search(SearchQuery q) throws AuditUnavailableException {
        try {
            // what was sequenced a moment ago is findable now; a large backlog is left to the follower's thread
            for (int i = 0; i < 5 && indexer.step() > 0; i++) { /* next batch */ }
        } catch (Exception e) {
            LOG.warning("audit search: index catch-up failed (" + e.getClass().getSimpleName() + ")");
        }
        List<Long> indexes = candidates(q);
        Long next = null;
        if (indexes.size() > q.limit()) {
            indexes = indexes.subList(0, q.limit());
            next = indexes.getLast();
        }
        Proven proven = prove(indexes);
        Map<Long, byte[]> entries = entries(indexes);
        List<Hit> hits = new ArrayList<>(indexes.size());
        int disagreeing = 0;
        for (long index : indexes) {
            byte[] data = entries.get(index);
            if (data == null || !q.matches(index, parse(data))) {
                disagreeing++;
                continue;
            }
            hits.add(new Hit(index, data, proven.proofs().get(index)));
        }
        if (disagreeing > 0) LOG.warning("audit search: " + disagreeing + " index rows disagree with their entries");
        return new Page(hits, proven.checkpoint(), proven.size(), next, indexer.position());
    }

    /** Inclusion proofs against one checkpoint (the latest): for every index below its size. */
    public record Proven(byte[] checkpoint, long size, Map<Long, List<byte[]>> proofs) {}

    public Proven prove(List<Long> indexes) throws AuditUnavailableException {
        Optional<byte[]> note = reader.checkpointNote();
        long size = note.isEmpty() ? 0 : checkpointSize(note.get());
        List<Long> covered = indexes.stream().filter(i -> i < size).toList();
        List<List<byte[]>> proofs = covered.isEmpty() ? List.of() : reader.inclusionProofs(covered, size);
        Map<Long, List<byte[]>> proofOf = new HashMap<>();
        for (int i = 0; i < covered.size(); i++) proofOf.put(covered.get(i), proofs.get(i));
        return new Proven(note.orElse(null), size, proofOf);
    }

    /** How many indexed entries name this subject token (for erasure proofs). */
    public long countSubject(String token) {
        try (Connection c = db.connection();
             PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM audit_search_subjects WHERE subject = ?")) {
            q.setString(1, token);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("audit search count", e);
        }
    }

    /** Brings the index up to what is sequenced now (before an access export or an erasure count). */
    public void catchUp() {
        try {
            indexer.catchUp();
        } catch (Exception e) {
            throw new StoreException("audit index catch-up", e instanceof SQLException s ? s : new SQLException(e));
        }
    }

    /**
     * The candidate leaf indexes, newest first (by time when only a time range narrows the search). A subject or finding filter drives the query from its own table
     * (primary key (value, idx), walked backwards), so a subject named in 200 of a million entries costs 200 rows,
     * not a scan of the log; other filters use their (column, idx) indexes.
     */
    private List<Long> candidates(SearchQuery q) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql;
        String order;
        if (q.subject() != null) {
            sql = new StringBuilder("SELECT d.idx FROM audit_search_subjects d JOIN audit_search s ON s.idx = d.idx "
                    + "WHERE d.subject = ?");
            args.add(q.subject());
            order = "d.idx";
        } else if (q.finding() != null) {
            sql = new StringBuilder("SELECT d.idx FROM audit_search_findings d JOIN audit_search s ON s.idx = d.idx "
                    + "WHERE d.finding = ?");
            args.add(q.finding());
            order = "d.idx";
        } else {
            sql = new StringBuilder("SELECT s.idx FROM audit_search s WHERE 1 = 1");
            order = "s.idx";
        }
        // a time range alone is walked down its (time_ms, idx) index from the end of the range: newest by time
        // first (entry times follow the log order to within the append latency)
        boolean byTime = q.subject() == null && q.finding() == null && (q.from() != null || q.to() != null);
        if (q.subject() != null && q.finding() != null) {
            // a lookup per candidate on (finding, idx): a common finding would otherwise materialise a huge set
            sql.append(" AND EXISTS (SELECT 1 FROM audit_search_findings f WHERE f.finding = ? AND f.idx = d.idx)");
            args.add(q.finding());
        }
        eq(sql, args, "s.principal", q.principal());
        eq(sql, args, "s.action", q.action());
        eq(sql, args, "s.model", q.model());
        eq(sql, args, "s.decision", q.decision());
        eq(sql, args, "s.kind", q.kind());
        if (q.from() != null) {
            sql.append(" AND s.time_ms >= ?");
            args.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            sql.append(" AND s.time_ms < ?");
            args.add(q.to().toEpochMilli());
        }
        if (q.before() != null && byTime) {
            sql.append(" AND (s.time_ms < (SELECT time_ms FROM audit_search WHERE idx = ?) OR (s.time_ms = "
                    + "(SELECT time_ms FROM audit_search WHERE idx = ?) AND s.idx < ?))");
            args.add(q.before());
            args.add(q.before());
            args.add(q.before());
        } else if (q.before() != null) {
            sql.append(" AND ").append(order).append(" < ?");
            args.add(q.before());
        }
        sql.append(" ORDER BY ").append(byTime ? "s.time_ms DESC, s.idx" : order).append(" DESC LIMIT ")
                .append(q.limit() + 1);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("audit search", e);
        }
    }

    private static void eq(StringBuilder sql, List<Object> args, String column, String value) {
        if (value == null) return;
        sql.append(" AND ").append(column).append(" = ?");
        args.add(value);
    }

    private Map<Long, byte[]> entries(List<Long> indexes) {
        Map<Long, byte[]> out = new HashMap<>();
        if (indexes.isEmpty()) return out;
        String marks = String.join(", ", java.util.Collections.nCopies(indexes.size(), "?"));
        try (Connection c = db.connection();
             PreparedStatement q = c.prepareStatement("SELECT idx, data FROM audit_entries WHERE idx IN (" + marks + ")")) {
            for (int i = 0; i < indexes.size(); i++) q.setLong(i + 1, indexes.get(i));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) out.put(rs.getLong(1), rs.getBytes(2));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("audit search entries", e);
        }
    }

    private static long checkpointSize(byte[] note) throws AuditUnavailableException {
        try {
            return Checkpoint.parse(Note.parse(note).text()).size();
        } catch (TlogException e) {
            throw new AuditUnavailableException("stored checkpoint is malformed", e);
        }
    }

    private static JsonNode parse(byte[] data) {
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
