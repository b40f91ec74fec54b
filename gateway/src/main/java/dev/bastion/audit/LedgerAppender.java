package dev.bastion.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The group committer's own way into the store: one connection with its statements prepared once, so that an
 * append costs its statements and the commit — not statement compilation and auto-commit switching in front of
 * every fsync. On SQLite the transaction is opened and committed by prepared BEGIN IMMEDIATE / COMMIT statements
 * (the driver's manual-commit mode would open the next transaction, and with it the write lock, right after each
 * commit). After any failure the connection is dropped and the next append takes a fresh one.
 */
final class LedgerAppender implements AutoCloseable {
    /** SQLite: BEGIN IMMEDIATE has taken the write lock, so batches (from any process) commit in index order, gap-free. */
    private static final String ADVANCE = "UPDATE audit_sequence SET next_index = next_index + ? WHERE id = 1 RETURNING next_index";
    /** Rows per multi-row INSERT: one statement step per chunk is what keeps large group commits cheap. */
    private static final int INSERT_CHUNK = 128;
    /**
     * PostgreSQL: one statement, so one round trip and one commit. The UPDATE in the first CTE takes the sequence
     * row lock; the INSERT numbers the entries from the old value; a single statement is atomic by itself.
     */
    private static final String APPEND_POSTGRES = """
            WITH s AS (UPDATE audit_sequence SET next_index = next_index + ? WHERE id = 1
                       RETURNING next_index - ? AS first),
                 i AS (INSERT INTO audit_entries (idx, data)
                       SELECT s.first + t.ord - 1, t.data FROM s, unnest(?::bytea[]) WITH ORDINALITY AS t(data, ord))
            SELECT first FROM s""";

    private final LedgerStore store;
    private final boolean postgres;
    private Held held; // null: no connection yet, or the last one was given up

    /** The writer's connection and its statements (SQLite uses all; PostgreSQL only {@code advance}). */
    private record Held(Connection connection, PreparedStatement begin, PreparedStatement advance,
                        PreparedStatement insertOne, PreparedStatement insertChunk, PreparedStatement commit) {}

    LedgerAppender(LedgerStore store) {
        this.store = store;
        this.postgres = store.database().isPostgres();
    }

    /**
     * Appends entries in one transaction and returns the index of the first. On failure nothing of the batch is
     * stored and the connection is given up.
     */
    long append(List<byte[]> entries) throws SQLException {
        try {
            connect();
            return postgres ? appendPostgres(held, entries) : appendSqlite(held, entries);
        } catch (SQLException | RuntimeException e) {
            discard(held);
            held = null;
            throw e;
        }
    }

    /** Takes a connection from the pool (which may wait) and prepares it, unless one is held already. */
    void connect() throws SQLException {
        if (held != null) return;
        Connection c = store.connection();
        try {
            held = postgres
                    ? new Held(c, null, c.prepareStatement(APPEND_POSTGRES), null, null, null)
                    : new Held(c, c.prepareStatement("BEGIN IMMEDIATE"), c.prepareStatement(ADVANCE),
                            c.prepareStatement(insertSql(1)), c.prepareStatement(insertSql(INSERT_CHUNK)),
                            c.prepareStatement("COMMIT"));
        } catch (SQLException | RuntimeException e) {
            store.evict(c);
            throw e;
        }
    }

    private static long appendPostgres(Held h, List<byte[]> entries) throws SQLException {
        h.advance().setLong(1, entries.size());
        h.advance().setLong(2, entries.size());
        h.advance().setArray(3, h.connection().createArrayOf("bytea", entries.toArray(new byte[0][])));
        try (ResultSet rs = h.advance().executeQuery()) {
            if (!rs.next()) throw new SQLException("audit_sequence row missing");
            return rs.getLong(1);
        }
    }

    private static long appendSqlite(Held h, List<byte[]> entries) throws SQLException {
        long first;
        h.begin().execute();
        h.advance().setLong(1, entries.size());
        try (ResultSet rs = h.advance().executeQuery()) {
            if (!rs.next()) throw new SQLException("audit_sequence row missing");
            first = rs.getLong(1) - entries.size();
        }
        int done = 0;
        while (done < entries.size()) {
            int n = Math.min(INSERT_CHUNK, entries.size() - done);
            if (n == 1) {
                insertRows(h.insertOne(), first, entries, done, 1);
            } else if (n == INSERT_CHUNK) {
                insertRows(h.insertChunk(), first, entries, done, n);
            } else {
                try (PreparedStatement ps = h.connection().prepareStatement(insertSql(n))) {
                    insertRows(ps, first, entries, done, n);
                }
            }
            done += n;
        }
        h.commit().execute();
        return first;
    }

    private static void insertRows(PreparedStatement ps, long first, List<byte[]> entries, int from, int n)
            throws SQLException {
        for (int i = 0; i < n; i++) {
            ps.setLong(2 * i + 1, first + from + i);
            ps.setBytes(2 * i + 2, entries.get(from + i));
        }
        ps.executeUpdate();
    }

    private static String insertSql(int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO audit_entries (idx, data) VALUES (?, ?)");
        for (int i = 1; i < rows; i++) sql.append(", (?, ?)");
        return sql.toString();
    }

    /** Drops a connection in an unknown transaction state: it is evicted from the pool rather than reused. */
    private void discard(Held h) {
        if (h == null) return;
        if (!postgres) {
            // release the write lock now rather than when the pool gets round to closing the connection
            try (var s = h.connection().createStatement()) {
                s.execute("ROLLBACK");
            } catch (SQLException ignored) {
                // no transaction was open, or the connection is broken: it is evicted either way
            }
        }
        store.evict(h.connection());
    }

    @Override
    public void close() {
        if (held == null) return;
        try {
            held.connection().close(); // statements close with it; between appends no transaction is open
        } catch (SQLException e) {
            store.evict(held.connection());
        }
        held = null;
    }
}
