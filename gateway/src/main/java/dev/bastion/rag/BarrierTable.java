package dev.bastion.rag;

import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.RecordCipher;
import dev.bastion.store.Database;
import dev.bastion.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link SealedRecords} over table {@code rag_records} (V900): only barrier ciphertexts and their paths are stored.
 * Writes upsert (delete then insert in one transaction, the same statements on SQLite and PostgreSQL).
 */
final class BarrierTable implements SealedRecords {
    private static final Pattern PATH = Pattern.compile("rag(/[A-Za-z0-9._:@=+-]+)+");
    private static final int IN_CHUNK = 200;

    private final Database db;
    private final Barrier barrier;
    private final RecordCipher writer;
    private final Clock clock;

    BarrierTable(Database db, Barrier barrier, Clock clock) {
        this(db, barrier, barrier, clock);
    }

    private BarrierTable(Database db, Barrier barrier, RecordCipher writer, Clock clock) {
        this.db = db;
        this.barrier = barrier;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public SealedRecords forSubject(String subjectId) {
        return new BarrierTable(db, barrier, barrier.forSubject(subjectId), clock);
    }

    @Override
    public Optional<byte[]> get(String path) {
        Map<String, byte[]> one = getAll(List.of(path));
        return Optional.ofNullable(one.get(path));
    }

    @Override
    public Map<String, byte[]> getAll(Collection<String> paths) {
        List<String> all = List.copyOf(paths);
        all.forEach(BarrierTable::check);
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Connection c = db.connection()) {
            for (int from = 0; from < all.size(); from += IN_CHUNK) {
                List<String> part = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
                String sql = "SELECT path, value FROM rag_records WHERE path IN (" + marks(part.size()) + ")";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < part.size(); i++) ps.setString(i + 1, part.get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) out.put(rs.getString(1), barrier.decrypt(rs.getString(1), rs.getBytes(2)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("rag records read", e);
        }
        Map<String, byte[]> ordered = new LinkedHashMap<>();
        for (String p : all) if (out.containsKey(p)) ordered.put(p, out.get(p));
        return ordered;
    }

    @Override
    public List<String> list(String folder) {
        check(folder);
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT path FROM rag_records WHERE folder = ?")) {
            ps.setString(1, folder);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new StoreException("rag records list", e);
        }
        Collections.sort(out);
        return out;
    }

    @Override
    public void putAll(Map<String, byte[]> values) {
        if (values.isEmpty()) return;
        Map<String, byte[]> sealed = new LinkedHashMap<>();
        for (var e : values.entrySet()) {
            check(e.getKey());
            sealed.put(e.getKey(), writer.encrypt(e.getKey(), e.getValue()));
        }
        long now = clock.millis();
        transaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM rag_records WHERE path = ?");
                 PreparedStatement ins = c.prepareStatement(
                         "INSERT INTO rag_records (path, folder, value, updated_at) VALUES (?, ?, ?, ?)")) {
                for (var e : sealed.entrySet()) {
                    del.setString(1, e.getKey());
                    del.addBatch();
                    ins.setString(1, e.getKey());
                    ins.setString(2, folderOf(e.getKey()));
                    ins.setBytes(3, e.getValue());
                    ins.setLong(4, now);
                    ins.addBatch();
                }
                del.executeBatch();
                ins.executeBatch();
            }
            return null;
        });
    }

    @Override
    public int deleteAll(Collection<String> paths, Collection<String> folders) {
        paths.forEach(BarrierTable::check);
        folders.forEach(BarrierTable::check);
        return transaction(c -> {
            int n = 0;
            try (PreparedStatement byPath = c.prepareStatement("DELETE FROM rag_records WHERE path = ?");
                 PreparedStatement byFolder = c.prepareStatement("DELETE FROM rag_records WHERE folder = ?")) {
                for (String p : paths) {
                    byPath.setString(1, p);
                    n += byPath.executeUpdate();
                }
                for (String f : folders) {
                    byFolder.setString(1, f);
                    n += byFolder.executeUpdate();
                }
            }
            return n;
        });
    }

    static String folderOf(String path) { return path.substring(0, path.lastIndexOf('/')); }

    private static void check(String path) {
        if (path == null || path.length() > 512 || !PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("not a rag record path");
        }
    }

    private static String marks(int n) { return String.join(",", Collections.nCopies(n, "?")); }

    private interface Work<T> { T run(Connection c) throws SQLException; }

    private <T> T transaction(Work<T> work) {
        try (Connection c = db.connection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T t = work.run(c);
                c.commit();
                return t;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreException("rag records write", e);
        }
    }
}
