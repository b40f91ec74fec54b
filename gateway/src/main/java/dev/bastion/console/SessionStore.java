package dev.bastion.console;

import dev.bastion.barrier.Barrier;
import dev.bastion.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Console sessions in the shared database, so any replica serves any session and signing out ends it everywhere.
 * Rows are keyed by a hash of the cookie value; payloads are sealed by the barrier under the row's path.
 */
final class SessionStore {
    private final Database db;
    private final Barrier barrier;

    SessionStore(Database db, Barrier barrier) {
        this.db = db;
        this.barrier = barrier;
    }

    /** A stored session: its sealed payload opened, and its times. */
    record Row(byte[] payload, Instant createdAt, Instant usedAt, Instant expiresAt) {}

    static String path(String idHash) { return "console/sessions/" + idHash; }

    void put(String idHash, byte[] payload, Instant now, Instant expiresAt) {
        byte[] sealed = barrier.encrypt(path(idHash), payload);
        try (Connection c = db.connection()) {
            try (PreparedStatement purge = c.prepareStatement("DELETE FROM console_sessions WHERE expires_at < ?")) {
                purge.setLong(1, now.toEpochMilli());
                purge.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO console_sessions "
                    + "(id_hash, payload, created_at, used_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, idHash);
                ps.setBytes(2, sealed);
                ps.setLong(3, now.toEpochMilli());
                ps.setLong(4, now.toEpochMilli());
                ps.setLong(5, expiresAt.toEpochMilli());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("console session could not be stored", e);
        }
    }

    Optional<Row> get(String idHash) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT payload, created_at, used_at, expires_at "
                     + "FROM console_sessions WHERE id_hash = ?")) {
            ps.setString(1, idHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                byte[] payload = barrier.decrypt(path(idHash), rs.getBytes(1));
                return Optional.of(new Row(payload, Instant.ofEpochMilli(rs.getLong(2)),
                        Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("console session could not be read", e);
        }
    }

    void touch(String idHash, Instant now) {
        execute("UPDATE console_sessions SET used_at = " + now.toEpochMilli() + " WHERE id_hash = ?", idHash);
    }

    void delete(String idHash) {
        execute("DELETE FROM console_sessions WHERE id_hash = ?", idHash);
    }

    private void execute(String sql, String idHash) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, idHash);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("console session could not be updated", e);
        }
    }
}
