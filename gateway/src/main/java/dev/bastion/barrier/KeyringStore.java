package dev.bastion.barrier;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.store.StoreException;
import dev.bastion.store.Transactions;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** SQL for the barrier's own tables (V400). Only wrapped keys and public parameters pass through here. */
final class KeyringStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    record RootRow(String provider, Map<String, String> params, byte[] wrappedRoot, long createdAt) {}
    record KeyRow(int keyId, byte[] wrapped, long createdAt) {}
    record SubjectRow(long keyId, byte[] subjectRef, byte[] wrapped, long createdAt, Long shreddedAt) {}

    private final DataSource ds;

    KeyringStore(DataSource ds) { this.ds = ds; }

    DataSource dataSource() { return ds; }

    Optional<RootRow> root() {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT provider, params, wrapped_root, created_at FROM barrier_root WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            return Optional.of(new RootRow(rs.getString(1), parseParams(rs.getString(2)), rs.getBytes(3), rs.getLong(4)));
        } catch (SQLException e) {
            throw new StoreException("barrier read root", e);
        }
    }

    /** Stores root and first data key in one transaction; false if another process initialised first. */
    boolean initialize(RootRow root, KeyRow first) {
        String params;
        try {
            params = JSON.writeValueAsString(new TreeMap<>(root.params()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Transactions.run(ds, "barrier initialise", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO barrier_root (id, provider, params, wrapped_root, "
                    + "created_at) VALUES (1, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, root.provider());
                ps.setString(2, params);
                ps.setBytes(3, root.wrappedRoot());
                ps.setLong(4, root.createdAt());
                if (ps.executeUpdate() == 0) return false; // another process initialised first: nothing written
            }
            insertKey(c, first);
            return true;
        });
    }

    void replaceRoot(RootRow root) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE barrier_root SET provider = ?, params = ?, wrapped_root = ?, created_at = ? WHERE id = 1")) {
            ps.setString(1, root.provider());
            ps.setString(2, JSON.writeValueAsString(new TreeMap<>(root.params())));
            ps.setBytes(3, root.wrappedRoot());
            ps.setLong(4, root.createdAt());
            if (ps.executeUpdate() != 1) throw new BarrierException(BarrierException.Kind.STATE, "no root key to replace");
        } catch (SQLException e) {
            throw new StoreException("barrier replace root", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    List<KeyRow> keys() {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT key_id, wrapped, created_at FROM barrier_keys ORDER BY key_id");
             ResultSet rs = ps.executeQuery()) {
            List<KeyRow> out = new ArrayList<>();
            while (rs.next()) out.add(new KeyRow(rs.getInt(1), rs.getBytes(2), rs.getLong(3)));
            return out;
        } catch (SQLException e) {
            throw new StoreException("barrier read keyring", e);
        }
    }

    /** False when the id is taken (another replica rotated at the same moment). */
    boolean addKey(KeyRow row) {
        try (Connection c = ds.getConnection()) {
            return insertKey(c, row) == 1;
        } catch (SQLException e) {
            throw new StoreException("barrier add key", e);
        }
    }

    private static int insertKey(Connection c, KeyRow row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO barrier_keys (key_id, wrapped, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setInt(1, row.keyId());
            ps.setBytes(2, row.wrapped());
            ps.setLong(3, row.createdAt());
            return ps.executeUpdate();
        }
    }

    Optional<SubjectRow> subjectById(long keyId) {
        return subjectQuery("SELECT key_id, subject_ref, wrapped, created_at, shredded_at FROM barrier_subject_keys WHERE key_id = ?",
                ps -> ps.setLong(1, keyId));
    }

    Optional<SubjectRow> liveSubject(byte[] ref) {
        return subjectQuery("SELECT key_id, subject_ref, wrapped, created_at, shredded_at FROM barrier_subject_keys "
                + "WHERE subject_ref = ? AND shredded_at IS NULL", ps -> ps.setBytes(1, ref));
    }

    /** False when the subject got a key from someone else first (or the random id collided). */
    boolean addSubject(SubjectRow row) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO barrier_subject_keys (key_id, subject_ref, wrapped, created_at) "
                     + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setLong(1, row.keyId());
            ps.setBytes(2, row.subjectRef());
            ps.setBytes(3, row.wrapped());
            ps.setLong(4, row.createdAt());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("barrier add subject key", e);
        }
    }

    /**
     * Destroys the live key of a subject: the wrapped bytes are overwritten with NULL and the subject reference with
     * {@code unlinked} (random), so the tombstone no longer answers "was this id ever here?". Returns its key id.
     */
    Optional<Long> shred(byte[] ref, byte[] unlinked, long now) {
        Optional<SubjectRow> live = liveSubject(ref);
        if (live.isEmpty()) return Optional.empty();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE barrier_subject_keys SET wrapped = NULL, shredded_at = ?, "
                     + "subject_ref = ? WHERE key_id = ? AND shredded_at IS NULL")) {
            ps.setLong(1, now);
            ps.setBytes(2, unlinked);
            ps.setLong(3, live.get().keyId());
            ps.executeUpdate();
            return Optional.of(live.get().keyId());
        } catch (SQLException e) {
            throw new StoreException("barrier shred subject key", e);
        }
    }

    /** Destroys a subject key by id (retention finds subjects by token and key id, not by subject id). */
    boolean shredById(long keyId, byte[] unlinked, long now) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE barrier_subject_keys SET wrapped = NULL, shredded_at = ?, "
                     + "subject_ref = ? WHERE key_id = ? AND shredded_at IS NULL")) {
            ps.setLong(1, now);
            ps.setBytes(2, unlinked);
            ps.setLong(3, keyId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("barrier shred subject key", e);
        }
    }

    private interface Binder { void bind(PreparedStatement ps) throws SQLException; }

    private Optional<SubjectRow> subjectQuery(String sql, Binder binder) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                long shredded = rs.getLong(5);
                Long shreddedAt = rs.wasNull() ? null : shredded;
                return Optional.of(new SubjectRow(rs.getLong(1), rs.getBytes(2), rs.getBytes(3), rs.getLong(4), shreddedAt));
            }
        } catch (SQLException e) {
            throw new StoreException("barrier read subject key", e);
        }
    }

    private static Map<String, String> parseParams(String json) {
        try {
            return Map.copyOf(JSON.readValue(json, new TypeReference<Map<String, String>>() {}));
        } catch (java.io.IOException e) {
            throw new BarrierException(BarrierException.Kind.PROVIDER, "stored provider parameters are not valid JSON");
        }
    }
}
