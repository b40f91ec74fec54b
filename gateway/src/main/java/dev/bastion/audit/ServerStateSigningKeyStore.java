package dev.bastion.audit;

import dev.bastion.store.Database;
import dev.bastion.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Keeps the signing seed as one row of {@code server_state}. Plain bytes until the barrier wraps this store; the
 * row is written with INSERT … ON CONFLICT DO NOTHING so racing processes agree on the first key.
 */
public final class ServerStateSigningKeyStore implements SigningKeyStore {
    public static final String DEFAULT_NAME = "audit.signing_key.ed25519";

    private final Database db;
    private final String name;

    public ServerStateSigningKeyStore(Database db) {
        this(db, DEFAULT_NAME);
    }

    public ServerStateSigningKeyStore(Database db, String name) {
        this.db = db;
        this.name = name;
    }

    @Override
    public byte[] loadOrCreate(Supplier<byte[]> generate) {
        try (Connection c = db.connection()) {
            byte[] existing = load(c);
            if (existing != null) return existing;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO server_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, name);
                ps.setBytes(2, generate.get());
                ps.executeUpdate();
            }
            byte[] stored = load(c);
            if (stored == null) throw new SQLException("signing key row vanished");
            return stored;
        } catch (SQLException e) {
            throw new StoreException("load audit signing key", e);
        }
    }

    private byte[] load(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM server_state WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }
}
