package dev.bastion.privacy;

import dev.bastion.store.Database;
import dev.bastion.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The log of data-subject requests (access exports, erasures) for the console and for accountability: who asked,
 * when, the outcome and the audit entry that records it. Subjects appear as tokens, cleared when erased.
 */
public final class SubjectRequests {
    private final Database db;
    private final Clock clock;

    public SubjectRequests(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** One request; {@code subject} is null for erasures (and after the subject was erased). */
    public record Request(String id, String kind, String subject, Instant requestedAt, String requestedBy,
                          String outcome, Long auditIndex) {}

    void record(String id, String kind, String subjectToken, String by, String outcome, Long auditIndex) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO privacy_requests (id, kind, subject, requested_at, "
                     + "requested_by, outcome, audit_index) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, kind);
            ps.setString(3, subjectToken);
            ps.setLong(4, clock.millis());
            ps.setString(5, by);
            ps.setString(6, outcome);
            if (auditIndex == null) ps.setNull(7, java.sql.Types.BIGINT);
            else ps.setLong(7, auditIndex);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("privacy request record", e);
        }
    }

    /** Newest first; optionally only those of one subject token; {@code before} is an epoch-millis cursor. */
    public List<Request> list(String subjectToken, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, kind, subject, requested_at, requested_by, outcome, "
                + "audit_index FROM privacy_requests WHERE 1 = 1");
        if (subjectToken != null) sql.append(" AND subject = ?");
        if (before != null) sql.append(" AND requested_at < ?");
        sql.append(" ORDER BY requested_at DESC, id DESC LIMIT ").append(limit);
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (subjectToken != null) q.setString(i++, subjectToken);
            if (before != null) q.setLong(i, before);
            List<Request> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    long idx = rs.getLong(7);
                    out.add(new Request(rs.getString(1), rs.getString(2), rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5), rs.getString(6),
                            rs.wasNull() ? null : idx));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("privacy request list", e);
        }
    }
}
