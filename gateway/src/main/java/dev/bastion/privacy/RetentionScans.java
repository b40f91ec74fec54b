package dev.bastion.privacy;

import dev.bastion.store.Database;
import dev.bastion.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The store side of retention: which records are due, by identity ({@code search:<leaf index>},
 * {@code consent:<token>/<purpose>}, {@code subject-key:<key id>} — never values), sorted so the proof's digest is
 * reproducible, and their deletion.
 */
public final class RetentionScans {
    private static final int CHUNK = 500;
    private final Database db;

    public RetentionScans(Database db) { this.db = db; }

    Database db() { return db; }

    record Subject(String token, long keyId) {}

    /** Search-index rows (request metadata) older than the cutoff, optionally of one purpose / classification. */
    List<String> searchRows(long cutoff, String purpose, String classification) {
        String sql = "SELECT idx FROM audit_search WHERE time_ms < ?" + (purpose == null ? "" : " AND purpose = ?")
                + (classification == null ? "" : " AND classification = ?") + " ORDER BY idx";
        List<String> out = new ArrayList<>();
        query(sql, ps -> {
            int i = 1;
            ps.setLong(i++, cutoff);
            if (purpose != null) ps.setString(i++, purpose);
            if (classification != null) ps.setString(i, classification);
        }, rs -> out.add("search:" + rs.getLong(1)));
        return out;
    }

    void deleteSearchRows(Connection c, List<String> due) throws SQLException {
        for (String table : List.of("audit_search_subjects", "audit_search_findings", "audit_search")) {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM " + table + " WHERE idx = ?")) {
                int n = 0;
                for (String id : due) {
                    d.setLong(1, Long.parseLong(id.substring("search:".length())));
                    d.addBatch();
                    if (++n % CHUNK == 0) d.executeBatch();
                }
                d.executeBatch();
            }
        }
    }

    /** Withdrawn or expired consent records last changed before the cutoff. */
    List<String> lapsedConsents(long cutoff, long now, String purpose) {
        String sql = "SELECT subject, purpose FROM privacy_consents WHERE updated_at < ? AND (state = 'withdrawn' "
                + "OR (expires_at IS NOT NULL AND expires_at <= ?))" + (purpose == null ? "" : " AND purpose = ?")
                + " ORDER BY subject, purpose";
        List<String> out = new ArrayList<>();
        query(sql, ps -> {
            ps.setLong(1, cutoff);
            ps.setLong(2, now);
            if (purpose != null) ps.setString(3, purpose);
        }, rs -> out.add("consent:" + rs.getString(1) + "/" + rs.getString(2)));
        return out;
    }

    void deleteConsents(Connection c, List<String> due) throws SQLException {
        try (PreparedStatement d = c.prepareStatement("DELETE FROM privacy_consents WHERE subject = ? AND purpose = ?")) {
            for (String id : due) {
                String key = id.substring("consent:".length());
                int slash = key.indexOf('/');
                d.setString(1, key.substring(0, slash));
                d.setString(2, key.substring(slash + 1));
                d.executeUpdate();
            }
        }
    }

    /** Subjects not named since the cutoff who have no basis in force any more (their keys are shredded). */
    List<String> inactiveSubjects(long cutoff, long now) {
        String sql = "SELECT s.key_id FROM privacy_subjects s WHERE s.last_seen < ? AND NOT EXISTS (SELECT 1 FROM "
                + "privacy_consents c WHERE c.subject = s.subject AND c.state = 'granted' AND (c.expires_at IS NULL "
                + "OR c.expires_at > ?)) ORDER BY s.key_id";
        List<String> out = new ArrayList<>();
        query(sql, ps -> {
            ps.setLong(1, cutoff);
            ps.setLong(2, now);
        }, rs -> out.add("subject-key:" + rs.getLong(1)));
        return out;
    }

    List<Subject> subjects(List<String> due) {
        List<Subject> out = new ArrayList<>();
        for (String id : due) {
            long keyId = Long.parseLong(id.substring("subject-key:".length()));
            query("SELECT subject FROM privacy_subjects WHERE key_id = ?", ps -> ps.setLong(1, keyId),
                    rs -> out.add(new Subject(rs.getString(1), keyId)));
        }
        return out;
    }

    void deleteSubject(Connection c, String token) throws SQLException {
        new PrivacyStore(db).deleteSubject(c, token);
    }

    void recordRun(long at, String rule, long removed, String digest, long auditIndex) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO privacy_retention_runs (run_at, rule, removed, "
                     + "digest, audit_index) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, at);
            ps.setString(2, rule);
            ps.setLong(3, removed);
            ps.setString(4, digest);
            ps.setLong(5, auditIndex);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("retention run record", e);
        }
    }

    /** The latest runs, newest first (for the API and the console). */
    public List<Run> runs(int limit) {
        List<Run> out = new ArrayList<>();
        query("SELECT run_at, rule, removed, digest, audit_index FROM privacy_retention_runs ORDER BY run_at DESC, "
                + "rule LIMIT " + limit, ps -> { }, rs -> out.add(new Run(rs.getLong(1), rs.getString(2),
                rs.getLong(3), rs.getString(4), rs.getLong(5))));
        return out;
    }

    public record Run(long at, String rule, long removed, String digest, long auditIndex) {}

    private interface Binder { void bind(PreparedStatement ps) throws SQLException; }

    private interface Row { void read(ResultSet rs) throws SQLException; }

    private void query(String sql, Binder binder, Row row) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) row.read(rs);
            }
        } catch (SQLException e) {
            throw new StoreException("retention scan", e);
        }
    }
}
