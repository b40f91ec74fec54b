package dev.bastion.barrier;

import dev.bastion.store.Database;
import dev.bastion.store.StoreException;
import dev.bastion.store.Transactions;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The storage API of the barrier: values put, got, listed and deleted by path, stored only as barrier ciphertexts
 * whose associated data is the path (a value copied to another path does not decrypt). Everything Bastion persists
 * that is secret or personal goes through here — server secrets, the pseudonym vault, and per-subject data through
 * {@link #forSubject} (unreadable once the subject's key is shredded).
 *
 * <p>Paths are stored in clear: they hold ids, digests and keyed tokens ({@link BlindIndex}), never a subject id or
 * a value. A path is segments of {@code [A-Za-z0-9._:@=+-]} joined by {@code /} (the first segment names the owning
 * capability: {@code apikeys/}, {@code audit/}, {@code inspect/}, …), at most 512 characters. Paths sort byte by
 * byte on both engines, so {@link #list} and {@link #scan} by prefix are index range scans. A value may expire: it
 * is then absent for every read and removed by {@link #purgeExpired}. Every call needs an unsealed barrier.
 */
public final class BarrierStore {
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._:@=+-]+(/[A-Za-z0-9._:@=+-]+)*");
    private static final int MAX_PATH = 512;
    private static final int IN_CHUNK = 200;
    private static final String LIVE = " AND (expires_at IS NULL OR expires_at > ?)";

    /** A stored value with its path. */
    public record Entry(String path, byte[] value) {
        @Override
        public String toString() { return "Entry[" + path + ", <redacted>]"; }
    }

    private final DataSource ds;
    private final Barrier barrier;
    private final RecordCipher writer;
    private final RecordCipher reader;
    private final Clock clock;

    private BarrierStore(DataSource ds, Barrier barrier, RecordCipher writer, RecordCipher reader, Clock clock) {
        this.ds = ds;
        this.barrier = barrier;
        this.writer = writer;
        this.reader = reader;
        this.clock = clock;
    }

    public static BarrierStore over(Database db, Barrier barrier, Clock clock) {
        return over(db.dataSource(), barrier, clock);
    }

    public static BarrierStore over(DataSource ds, Barrier barrier, Clock clock) {
        return new BarrierStore(ds, barrier, barrier, barrier, clock);
    }

    /** The same store, writing new values under the subject's own key: {@link Barrier#shredSubject} forgets them. */
    public BarrierStore forSubject(String subjectId) {
        return new BarrierStore(ds, barrier, barrier.forSubject(subjectId), reader, clock);
    }

    /**
     * The same store for values that belong to several subjects at once: new values are sealed under every one of
     * their keys, one layer each ({@link LayeredCipher}), so shredding any one of them makes the value unreadable.
     * Reads through this view open such values and plain ones; with no subjects it writes plain values and still reads
     * layered ones (the view a reader of such records uses). Values of {@link #forSubject} are not read here.
     */
    public BarrierStore forSubjects(List<String> subjectIds) {
        LayeredCipher layered = new LayeredCipher(barrier, subjectIds.stream().map(barrier::forSubject).toList());
        return new BarrierStore(ds, barrier, layered, layered, clock);
    }

    // ---- reads ----

    /** The live value at {@code path}, decrypted. */
    public Optional<byte[]> get(String path) {
        check(path);
        open();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT value FROM barrier_records WHERE path = ?" + LIVE)) {
            ps.setString(1, path);
            ps.setLong(2, clock.millis());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(reader.decrypt(path, rs.getBytes(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("barrier store read", e);
        }
    }

    /** The live values of these paths (absent ones left out), a few queries for any number of paths. */
    public Map<String, byte[]> getAll(Collection<String> paths) {
        List<String> all = List.copyOf(paths);
        all.forEach(BarrierStore::check);
        open();
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Connection c = ds.getConnection()) {
            for (int from = 0; from < all.size(); from += IN_CHUNK) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
                String sql = "SELECT path, value FROM barrier_records WHERE path IN ("
                        + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")" + LIVE;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = 1;
                    for (String p : chunk) ps.setString(i++, p);
                    ps.setLong(i, clock.millis());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) out.put(rs.getString(1), reader.decrypt(rs.getString(1), rs.getBytes(2)));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("barrier store read", e);
        }
    }

    /** Live paths that start with {@code prefix} (use a trailing {@code /} for a folder), in order. */
    public List<String> list(String prefix) {
        List<String> out = new ArrayList<>();
        range(prefix, null, Integer.MAX_VALUE, false, (path, value) -> out.add(path));
        return out;
    }

    /** Up to {@code limit} live entries under {@code prefix} after the path {@code after} (null: from the start). */
    public List<Entry> scan(String prefix, String after, int limit) {
        List<Entry> out = new ArrayList<>();
        range(prefix, after, limit, true, (path, value) -> out.add(new Entry(path, reader.decrypt(path, value))));
        return out;
    }

    // ---- writes ----

    /** Creates or replaces the value; it never expires. */
    public void put(String path, byte[] value) { put(path, value, null); }

    /** Creates or replaces the value, to expire at {@code expiresAt} (null: never). */
    public void put(String path, byte[] value, Instant expiresAt) {
        putAll(Map.of(path, value), expiresAt);
    }

    /** Creates or replaces all these values in one transaction (all or none). */
    public void putAll(Map<String, byte[]> values, Instant expiresAt) {
        values.keySet().forEach(BarrierStore::check);
        Map<String, byte[]> sealed = new LinkedHashMap<>();
        values.forEach((path, value) -> sealed.put(path, writer.encrypt(path, value)));
        Transactions.run(ds, "barrier store write", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO barrier_records (path, value, updated_at, "
                    + "expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET value = excluded.value, "
                    + "updated_at = excluded.updated_at, expires_at = excluded.expires_at")) {
                for (Map.Entry<String, byte[]> e : sealed.entrySet()) {
                    bind(ps, e.getKey(), e.getValue(), expiresAt);
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    /**
     * Stores the value unless a live one is at {@code path} (an expired one is replaced); true when this call stored
     * it. Processes racing for one path agree: exactly one of them wins.
     */
    public boolean putIfAbsent(String path, byte[] value, Instant expiresAt) {
        check(path);
        byte[] ct = writer.encrypt(path, value);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO barrier_records (path, value, updated_at, expires_at) "
                     + "VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET value = excluded.value, "
                     + "updated_at = excluded.updated_at, expires_at = excluded.expires_at "
                     + "WHERE barrier_records.expires_at IS NOT NULL AND barrier_records.expires_at <= ?")) {
            bind(ps, path, ct, expiresAt);
            ps.setLong(5, clock.millis());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("barrier store write", e);
        }
    }

    /**
     * Replaces a live value and its expiry, and stores nothing when none is at {@code path}; true when it replaced
     * one. A read-modify-write that must not bring back a value deleted meanwhile (a session signed out) uses this.
     */
    public boolean replace(String path, byte[] value, Instant expiresAt) {
        check(path);
        byte[] ct = writer.encrypt(path, value);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE barrier_records SET value = ?, updated_at = ?, "
                     + "expires_at = ? WHERE path = ?" + LIVE)) {
            ps.setBytes(1, ct);
            ps.setLong(2, clock.millis());
            bindExpiry(ps, 3, expiresAt);
            ps.setString(4, path);
            ps.setLong(5, clock.millis());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("barrier store write", e);
        }
    }

    /** Removes the value; true when there was one. */
    public boolean delete(String path) {
        check(path);
        open();
        return update("DELETE FROM barrier_records WHERE path = ?", path);
    }

    /** Removes every value under {@code prefix}; how many. */
    public int deleteAll(String prefix) {
        checkPrefix(prefix);
        open();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM barrier_records WHERE path >= ? AND path < ?")) {
            ps.setString(1, prefix);
            ps.setString(2, upper(prefix));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("barrier store delete", e);
        }
    }

    /** Deletes every expired value, of every owner; how many (the server's housekeeping runs this). */
    public int purgeExpired() {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM barrier_records WHERE expires_at <= ?")) {
            ps.setLong(1, clock.millis());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("barrier store purge", e);
        }
    }

    /** Deletes the expired values under {@code prefix}; how many. */
    public int purgeExpired(String prefix) {
        checkPrefix(prefix);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "DELETE FROM barrier_records WHERE path >= ? AND path < ? AND expires_at <= ?")) {
            ps.setString(1, prefix);
            ps.setString(2, upper(prefix));
            ps.setLong(3, clock.millis());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("barrier store purge", e);
        }
    }

    // ---- helpers ----

    private interface Row { void accept(String path, byte[] value); }

    private void range(String prefix, String after, int limit, boolean values, Row row) {
        checkPrefix(prefix);
        if (after != null) check(after);
        open();
        String sql = "SELECT path" + (values ? ", value" : "") + " FROM barrier_records WHERE path >= ? AND path < ?"
                + (after != null ? " AND path > ?" : "") + LIVE + " ORDER BY path"
                + (limit == Integer.MAX_VALUE ? "" : " LIMIT " + Math.max(0, limit));
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, prefix);
            ps.setString(i++, upper(prefix));
            if (after != null) ps.setString(i++, after);
            ps.setLong(i, clock.millis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) row.accept(rs.getString(1), values ? rs.getBytes(2) : null);
            }
        } catch (SQLException e) {
            throw new StoreException("barrier store list", e);
        }
    }

    private boolean update(String sql, String path) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, path);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("barrier store delete", e);
        }
    }

    private void bind(PreparedStatement ps, String path, byte[] ct, Instant expiresAt) throws SQLException {
        ps.setString(1, path);
        ps.setBytes(2, ct);
        ps.setLong(3, clock.millis());
        bindExpiry(ps, 4, expiresAt);
    }

    private static void bindExpiry(PreparedStatement ps, int index, Instant expiresAt) throws SQLException {
        if (expiresAt == null) ps.setNull(index, java.sql.Types.BIGINT);
        else ps.setLong(index, expiresAt.toEpochMilli());
    }

    /** Paths are ASCII: every path under {@code prefix} sorts below it followed by DEL. */
    private static String upper(String prefix) { return prefix + '\u007f'; }

    private void open() {
        if (barrier.isSealed()) throw BarrierException.sealed();
    }

    static void check(String path) {
        if (path == null || path.length() > MAX_PATH || !PATH.matcher(path).matches() || dotSegment(path)) {
            throw new IllegalArgumentException("invalid record path");
        }
    }

    /** A prefix is a path, optionally ending in {@code /}. */
    private static void checkPrefix(String prefix) {
        check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
    }

    private static boolean dotSegment(String path) {
        return Arrays.stream(path.split("/")).anyMatch(s -> s.equals(".") || s.equals(".."));
    }

    @Override
    public String toString() { return "BarrierStore[" + barrier + "]"; }
}
