package dev.bastion.privacy;

import dev.bastion.store.Database;
import dev.bastion.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The privacy tables ({@code privacy_subjects}, {@code privacy_consents}, {@code privacy_requests}). Subjects are
 * tokens here; evidence is ciphertext. Writers pass their own connection so a change and its change-feed version
 * commit together.
 */
public final class PrivacyStore {
    private final Database db;

    public PrivacyStore(Database db) { this.db = db; }

    Database db() { return db; }

    /** A consent row as stored; {@code evidence} is ciphertext under the subject's key. */
    record ConsentRow(String subject, String purpose, boolean granted, String basis, byte[] evidence, Long expiresAt,
                      long updatedAt, String updatedBy) {}

    /** A known subject: the key its token is computed under, first/last seen, CCPA opt-out. */
    public record SubjectRow(String subject, long keyId, long firstSeen, long lastSeen, boolean saleOptOut) {}

    /** Records that a subject was named now (creates the row on first sight). */
    void seen(String subject, long keyId, long now) {
        try (Connection c = db.connection()) {
            seen(c, subject, keyId, now);
        } catch (SQLException e) {
            throw new StoreException("privacy subject seen", e);
        }
    }

    void seen(Connection c, String subject, long keyId, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO privacy_subjects (subject, key_id, first_seen, "
                + "last_seen, sale_opt_out, updated_at) VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (subject) DO UPDATE "
                + "SET last_seen = excluded.last_seen")) {
            ps.setString(1, subject);
            ps.setLong(2, keyId);
            ps.setLong(3, now);
            ps.setLong(4, now);
            ps.setLong(5, now);
            ps.executeUpdate();
        }
    }

    void saleOptOut(Connection c, String subject, boolean optOut, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE privacy_subjects SET sale_opt_out = ?, updated_at = ? "
                + "WHERE subject = ?")) {
            ps.setInt(1, optOut ? 1 : 0);
            ps.setLong(2, now);
            ps.setString(3, subject);
            ps.executeUpdate();
        }
    }

    public Optional<SubjectRow> subject(String subject) {
        try (Connection c = db.connection();
             PreparedStatement q = c.prepareStatement("SELECT subject, key_id, first_seen, last_seen, sale_opt_out "
                     + "FROM privacy_subjects WHERE subject = ?")) {
            q.setString(1, subject);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new SubjectRow(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        rs.getLong(4), rs.getInt(5) != 0)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("privacy subject read", e);
        }
    }

    void upsert(Connection c, ConsentRow r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO privacy_consents (subject, purpose, state, basis, "
                + "evidence, expires_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
                + "(subject, purpose) DO UPDATE SET state = excluded.state, basis = excluded.basis, "
                + "evidence = excluded.evidence, expires_at = excluded.expires_at, updated_at = excluded.updated_at, "
                + "updated_by = excluded.updated_by")) {
            ps.setString(1, r.subject());
            ps.setString(2, r.purpose());
            ps.setString(3, r.granted() ? "granted" : "withdrawn");
            ps.setString(4, r.basis());
            ps.setBytes(5, r.evidence());
            if (r.expiresAt() == null) ps.setNull(6, java.sql.Types.BIGINT);
            else ps.setLong(6, r.expiresAt());
            ps.setLong(7, r.updatedAt());
            ps.setString(8, r.updatedBy());
            ps.executeUpdate();
        }
    }

    private static final String CONSENT_COLUMNS =
            "subject, purpose, state, basis, evidence, expires_at, updated_at, updated_by";

    List<ConsentRow> consents(String subject) {
        return consentQuery("SELECT " + CONSENT_COLUMNS + " FROM privacy_consents WHERE subject = ? ORDER BY purpose",
                ps -> ps.setString(1, subject));
    }

    /**
     * A page of the registry, newest change first: optionally one purpose and/or state; {@code beforeUpdated} and
     * {@code beforeKey} continue after the last row of the previous page.
     */
    List<ConsentRow> page(String purpose, String state, Long beforeUpdated, String beforeKey, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + CONSENT_COLUMNS + " FROM privacy_consents WHERE 1 = 1");
        if (purpose != null) sql.append(" AND purpose = ?");
        if (state != null) sql.append(" AND state = ?");
        if (beforeUpdated != null) {
            sql.append(" AND (updated_at < ? OR (updated_at = ? AND subject || '/' || purpose < ?))");
        }
        sql.append(" ORDER BY updated_at DESC, subject || '/' || purpose DESC LIMIT ").append(limit);
        return consentQuery(sql.toString(), ps -> {
            int i = 1;
            if (purpose != null) ps.setString(i++, purpose);
            if (state != null) ps.setString(i++, state);
            if (beforeUpdated != null) {
                ps.setLong(i++, beforeUpdated);
                ps.setLong(i++, beforeUpdated);
                ps.setString(i, beforeKey);
            }
        });
    }

    private interface Binder { void bind(PreparedStatement ps) throws SQLException; }

    private List<ConsentRow> consentQuery(String sql, Binder binder) {
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement(sql)) {
            binder.bind(q);
            List<ConsentRow> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    long exp = rs.getLong(6);
                    Long expires = rs.wasNull() ? null : exp;
                    out.add(new ConsentRow(rs.getString(1), rs.getString(2), "granted".equals(rs.getString(3)),
                            rs.getString(4), rs.getBytes(5), expires, rs.getLong(7), rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("privacy consent read", e);
        }
    }

    /** Deletes everything held under a subject token (consents, the subject row); returns the counts by table. */
    int[] deleteSubject(Connection c, String subject) throws SQLException {
        int consents;
        int subjects;
        try (PreparedStatement d = c.prepareStatement("DELETE FROM privacy_consents WHERE subject = ?")) {
            d.setString(1, subject);
            consents = d.executeUpdate();
        }
        try (PreparedStatement d = c.prepareStatement("DELETE FROM privacy_subjects WHERE subject = ?")) {
            d.setString(1, subject);
            subjects = d.executeUpdate();
        }
        try (PreparedStatement u = c.prepareStatement("UPDATE privacy_requests SET subject = NULL WHERE subject = ?")) {
            u.setString(1, subject);
            u.executeUpdate();
        }
        return new int[] {consents, subjects};
    }
}
