package dev.bastion.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.store.Database;
import dev.bastion.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JDBC access to the {@code api_keys} table. Holds hashes only; never sees a key secret. */
final class ApiKeyStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS =
            "key_id, name, roles, attributes, models, created_at, expires_at, revoked_at, created_by";

    private final Database db;

    ApiKeyStore(Database db) {
        this.db = db;
    }

    void insert(ApiKeyRecord r, byte[] secretHash) {
        String sql = "INSERT INTO api_keys (" + COLUMNS + ", secret_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, r.keyId());
            ps.setString(2, r.name());
            ps.setString(3, json(r.roles()));
            ps.setString(4, json(r.attributes()));
            ps.setString(5, json(r.models()));
            ps.setLong(6, r.createdAt().toEpochMilli());
            setInstant(ps, 7, r.expiresAt());
            setInstant(ps, 8, r.revokedAt());
            ps.setString(9, r.createdBy());
            ps.setBytes(10, secretHash);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("insert api key", e);
        }
    }

    /** The record and its stored hash, or null. */
    Stored find(String keyId) {
        String sql = "SELECT " + COLUMNS + ", secret_hash FROM api_keys WHERE key_id = ?";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Stored(read(rs), rs.getBytes("secret_hash")) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("find api key", e);
        }
    }

    List<ApiKeyRecord> list() {
        String sql = "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, key_id";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            List<ApiKeyRecord> out = new ArrayList<>();
            while (rs.next()) out.add(read(rs));
            return out;
        } catch (SQLException e) {
            throw new StoreException("list api keys", e);
        }
    }

    /** Marks a key revoked; true when it existed and was not revoked before. */
    boolean revoke(String keyId, Instant at) {
        String sql = "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, keyId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("revoke api key", e);
        }
    }

    record Stored(ApiKeyRecord record, byte[] secretHash) {}

    private static ApiKeyRecord read(ResultSet rs) throws SQLException {
        return new ApiKeyRecord(
                rs.getString("key_id"),
                rs.getString("name"),
                parse(rs.getString("roles"), new TypeReference<List<String>>() {}),
                parse(rs.getString("attributes"), new TypeReference<Map<String, Object>>() {}),
                parse(rs.getString("models"), new TypeReference<List<String>>() {}),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                instant(rs, "expires_at"),
                instant(rs, "revoked_at"),
                rs.getString("created_by"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) ps.setNull(index, Types.BIGINT);
        else ps.setLong(index, value.toEpochMilli());
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value is not serialisable", e);
        }
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("api_keys row holds malformed JSON");
        }
    }
}
