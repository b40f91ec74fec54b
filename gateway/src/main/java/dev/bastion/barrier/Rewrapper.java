package dev.bastion.barrier;

import dev.bastion.store.StoreException;
import dev.bastion.store.Transactions;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Moves every ciphertext in one table column to the newest data key after {@link Barrier#rotate()}. Works in batches
 * in id order and records where it stopped in {@code barrier_rewrap_progress}, so an interrupted job resumes; each
 * row is updated only if it still holds the bytes that were read (a concurrent writer wins). Rows that do not
 * decrypt (tampered) are counted and left alone; subject-key ciphertexts stay as they are (their key is re-wrapped
 * through the {@link #SUBJECT_KEYS} target instead).
 */
public final class Rewrapper {
    private static final Pattern IDENT = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * A column of ciphertexts: {@code pathOf} turns a row id into the record path it was encrypted under.
     * The job name keys the progress row.
     */
    public record Target(String job, String table, String idColumn, String valueColumn, Function<Object, String> pathOf) {
        public Target {
            for (String ident : new String[] {table, idColumn, valueColumn}) {
                if (!IDENT.matcher(ident).matches()) throw new IllegalArgumentException("invalid SQL identifier");
            }
        }
    }

    public record Result(long scanned, long rewrapped, long failed, boolean complete) {}

    /** The barrier's own tables. */
    public static final Target SUBJECT_KEYS = new Target("barrier_subject_keys", "barrier_subject_keys", "key_id", "wrapped",
            id -> Unsealed.subjectKeyPath(((Number) id).longValue()));
    /** Every value of the {@link BarrierStore}: the path column is the record path. */
    public static final Target RECORDS = new Target("barrier_records", "barrier_records", "path", "value", id -> (String) id);

    private final Barrier barrier;
    private final DataSource ds;
    private final Clock clock;

    public Rewrapper(Barrier barrier, DataSource ds, Clock clock) {
        this.barrier = barrier;
        this.ds = ds;
        this.clock = clock;
    }

    private record Row(Object id, byte[] value) {}

    /** Runs until the table is done or {@code maxRows} rows were scanned in this call (then {@code complete} is false). */
    public Result run(Target t, int batchSize, long maxRows) {
        long scanned = 0, rewrapped = 0, failed = 0;
        Object last = progress(t.job());
        while (scanned < maxRows) {
            int limit = (int) Math.min(batchSize, maxRows - scanned);
            String sql = "SELECT " + t.idColumn() + ", " + t.valueColumn() + " FROM " + t.table()
                    + (last == null ? "" : " WHERE " + t.idColumn() + " > ?") + " ORDER BY " + t.idColumn() + " LIMIT " + limit;
            int rows = 0;
            try (Connection c = ds.getConnection()) {
                // the batch is read in full before any row is rewritten: on SQLite an open cursor is a read
                // transaction, and writing under it fails (SQLITE_BUSY) as soon as another connection wrote meanwhile
                java.util.List<Row> batch = new java.util.ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    if (last != null) ps.setObject(1, last);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Object id = rs.getObject(1);
                            batch.add(new Row(id instanceof Number n ? (Object) n.longValue() : id.toString(),
                                    rs.getBytes(2)));
                        }
                    }
                }
                // the batch's rewrites and its progress mark are one transaction: one commit (one fsync) per batch
                // instead of one per row, so the writers the job shares the database with wait far less
                java.util.Map<Object, byte[][]> changes = new java.util.LinkedHashMap<>();
                for (Row row : batch) {
                    rows++;
                    Object id = row.id();
                    byte[] ct = row.value();
                    last = id;
                    if (ct == null) continue;
                    try {
                        byte[] fresh = barrier.rewrap(t.pathOf().apply(id), ct);
                        if (fresh != ct) changes.put(id, new byte[][] {ct, fresh});
                    } catch (BarrierException e) {
                        if (e.kind() == BarrierException.Kind.SEALED) throw e;
                        failed++;
                    }
                }
                Object mark = rows < limit ? null : last;
                rewrapped += Transactions.inTransaction(ds, c, tx -> {
                    int n = 0;
                    for (var e : changes.entrySet()) {
                        if (update(tx, t, e.getKey(), e.getValue()[0], e.getValue()[1])) n++;
                    }
                    saveProgress(tx, t.job(), mark);
                    return n;
                });
            } catch (SQLException e) {
                throw new StoreException("rewrap " + t.table(), e);
            }
            scanned += rows;
            if (rows < limit) return new Result(scanned, rewrapped, failed, true);
        }
        return new Result(scanned, rewrapped, failed, false);
    }

    private static boolean update(Connection c, Target t, Object id, byte[] old, byte[] fresh) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.table() + " SET " + t.valueColumn() + " = ? WHERE "
                + t.idColumn() + " = ? AND " + t.valueColumn() + " = ?")) {
            ps.setBytes(1, fresh);
            ps.setObject(2, id);
            ps.setBytes(3, old);
            return ps.executeUpdate() == 1;
        }
    }

    /** The last id done, typed as the column is (numbers are stored as {@code n:<digits>}). */
    private Object progress(String job) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT last_id FROM barrier_rewrap_progress WHERE job = ?")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) return null;
                String s = rs.getString(1);
                return s.startsWith("n:") ? (Object) Long.parseLong(s.substring(2)) : s.substring(2);
            }
        } catch (SQLException e) {
            throw new StoreException("read rewrap progress", e);
        }
    }

    private void saveProgress(Connection c, String job, Object last) throws SQLException {
        String value = last == null ? null : (last instanceof Long l ? "n:" + l : "s:" + last);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO barrier_rewrap_progress (job, last_id, rewrapped, updated_at) "
                     + "VALUES (?, ?, 0, ?) ON CONFLICT (job) DO UPDATE SET last_id = excluded.last_id, updated_at = excluded.updated_at")) {
            ps.setString(1, job);
            ps.setString(2, value);
            ps.setLong(3, clock.millis());
            ps.executeUpdate();
        }
    }
}
