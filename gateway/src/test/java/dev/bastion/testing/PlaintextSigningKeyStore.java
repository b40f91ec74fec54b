package dev.bastion.testing;

import dev.bastion.audit.SigningKeyStore;

import dev.bastion.store.Database;
import dev.bastion.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * FOR TESTS ONLY: keeps the audit signing seed in clear, as one row of {@code server_state}, so ledger tests need no
 * barrier. The server keeps it behind the barrier ({@code ServerSecrets.AUDIT_SIGNING_KEY}). The row is written
 * with INSERT … ON CONFLICT DO NOTHING so racing processes agree on the first key.
 */
public final class PlaintextSigningKeyStore implements SigningKeyStore {
    public static final String DEFAULT_NAME = "audit.signing_key.ed25519";

    private final Database db;
    private final String name;

    public PlaintextSigningKeyStore(Database db) {
        this(db, DEFAULT_NAME);
    }

    public PlaintextSigningKeyStore(Database db, String name) {
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
