package dev.bastion.store;


import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Named values the server keeps in {@code server_state}: random secrets created once and shared by every replica
 * (the API-key hashing key) and one-time markers (the bootstrap admin key was issued).
 */
public final class ServerState {
    private final Database db;
    private final SecureRandom random;

    public ServerState(Database db, SecureRandom random) {
        this.db = db;
        this.random = random;
    }

    /** The value under {@code name}, creating {@code length} random bytes the first time (race-safe across replicas). */
    public byte[] getOrCreate(String name, int length) {
        byte[] existing = get(name);
        if (existing != null) return existing;
        byte[] fresh = new byte[length];
        random.nextBytes(fresh);
        putIfAbsent(name, fresh);
        return get(name);
    }

    public byte[] get(String name) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT value FROM server_state WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("read server state", e);
        }
    }

    /** Stores the value unless the name exists; true when this call stored it. */
    public boolean putIfAbsent(String name, byte[] value) {
        String sql = "INSERT INTO server_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setBytes(2, value);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("write server state", e);
        }
    }
}
