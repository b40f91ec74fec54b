package dev.bastion.audit;

import dev.bastion.audit.tlog.TileTree;
import dev.bastion.store.Database;
import dev.bastion.store.Transactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The ledger's SQL, written once for SQLite and PostgreSQL (schema in V200__audit_ledger.sql). */
final class LedgerStore {
    private final Database db;

    LedgerStore(Database db) {
        this.db = db;
    }

    Database database() { return db; }

    Connection connection() throws SQLException { return db.connection(); }

    /** Work done inside {@link #inTransaction}. */
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} as one transaction on {@code c} ({@link Transactions#inTransaction}). */
    <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        return Transactions.inTransaction(db.dataSource(), c, x -> work.run());
    }

    long treeSize(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT size FROM audit_tree WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new SQLException("audit_tree row missing");
            return rs.getLong(1);
        }
    }

    /** The next leaf index appenders will hand out. */
    long nextIndex(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT next_index FROM audit_sequence WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new SQLException("audit_sequence row missing");
            return rs.getLong(1);
        }
    }

    /** Entries from {@code from} (inclusive) up to {@code to} (exclusive), stopping at the first gap. */
    List<byte[]> entries(Connection c, long from, long to) throws SQLException {
        List<byte[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT idx, data FROM audit_entries WHERE idx >= ? AND idx < ? ORDER BY idx")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(1) != from + out.size()) break;
                    out.add(rs.getBytes(2));
                }
            }
        }
        return out;
    }

    byte[] tile(Connection c, int level, long index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT hashes FROM audit_tiles WHERE level = ? AND idx = ?")) {
            ps.setInt(1, level);
            ps.setLong(2, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /** Many tiles at once, keyed {@code tileIndex * 64 + level} (missing ones are absent from the map). */
    Map<Long, byte[]> tiles(Connection c, java.util.Collection<Long> keys) throws SQLException {
        Map<Integer, List<Long>> byLevel = new java.util.TreeMap<>();
        for (long k : keys) byLevel.computeIfAbsent((int) (k % 64), l -> new ArrayList<>()).add(k / 64);
        Map<Long, byte[]> out = new java.util.HashMap<>();
        for (var e : byLevel.entrySet()) {
            List<Long> all = e.getValue();
            for (int from = 0; from < all.size(); from += 500) {
                List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
                String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT idx, hashes FROM audit_tiles WHERE level = ? AND idx IN (" + marks + ")")) {
                    ps.setInt(1, e.getKey());
                    for (int i = 0; i < chunk.size(); i++) ps.setLong(i + 2, chunk.get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) out.put(rs.getLong(1) * 64 + e.getKey(), rs.getBytes(2));
                    }
                }
            }
        }
        return out;
    }

    /** The latest signed checkpoint note, or null before the first one. */
    StoredCheckpoint latestCheckpoint(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT size, note FROM audit_checkpoints ORDER BY size DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new StoredCheckpoint(rs.getLong(1), rs.getBytes(2)) : null;
        }
    }

    record StoredCheckpoint(long size, byte[] note) {}

    /** The signed note of the checkpoint of exactly {@code size}, or null. */
    byte[] checkpointNote(Connection c, long size) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT note FROM audit_checkpoints WHERE size = ?")) {
            ps.setLong(1, size);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /**
     * Writes the tiles and checkpoint of an integration round, provided the tree still has {@code expectedSize}
     * (another integrator may have moved it): returns false and writes nothing otherwise.
     */
    boolean commitIntegration(Connection c, long expectedSize, long newSize, List<TileTree.Tile> tiles, byte[] root,
                              byte[] note, long nowMillis) throws SQLException {
        return inTransaction(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit_tree SET size = size WHERE id = 1")) {
                ps.executeUpdate(); // takes the row (PostgreSQL) or database (SQLite) write lock first
            }
            if (treeSize(c) != expectedSize) {
                c.rollback(); // the tree moved on: nothing of ours is written
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_tiles (level, idx, hashes) VALUES (?, ?, ?) "
                    + "ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes")) {
                for (TileTree.Tile t : tiles) {
                    ps.setInt(1, t.level());
                    ps.setLong(2, t.index());
                    ps.setBytes(3, t.hashes());
                    ps.addBatch();
                }
                if (!tiles.isEmpty()) ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_checkpoints (size, root, note, created_at) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (size) DO UPDATE SET root = excluded.root, note = excluded.note, "
                    + "created_at = excluded.created_at")) {
                ps.setLong(1, newSize);
                ps.setBytes(2, root);
                ps.setBytes(3, note);
                ps.setLong(4, nowMillis);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit_tree SET size = ? WHERE id = 1")) {
                ps.setLong(1, newSize);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Gives a connection in an unknown state back so that the pool closes it instead of lending it out again. */
    void evict(Connection c) {
        Transactions.evict(db.dataSource(), c);
        try {
            c.close();
        } catch (SQLException ignored) {
            // it is being discarded anyway
        }
    }
}
