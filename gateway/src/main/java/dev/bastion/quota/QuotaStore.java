package dev.bastion.quota;

import dev.bastion.store.Database;
import dev.bastion.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The counters replicas share, in {@code quota_counters}. Every change is one conditional or additive statement, so
 * concurrent replicas cannot both take the last of a limit: a lease is granted only while
 * {@code allocated + lease <= limit} holds in the database.
 */
final class QuotaStore {
    private final Database db;

    QuotaStore(Database db) {
        this.db = db;
    }

    /**
     * Leases up to {@code want} (at least {@code need}) of a counter's remaining room in a window; 0 when not even
     * {@code need} is left. The limit is the configured one now (a reload may have changed it).
     */
    long lease(CounterId id, long window, long limit, long want, long need) {
        try (Connection c = db.connection()) {
            ensureRow(c, id, window, limit);
            long ask = Math.max(want, need);
            for (int i = 0; i < 4; i++) {
                if (take(c, id, window, limit, ask)) return ask;
                long remaining = remaining(c, id, window, limit);
                if (remaining < need) return 0;
                ask = Math.max(need, Math.min(ask, remaining / 2)); // share what is left with the other replicas
            }
            return take(c, id, window, limit, need) ? need : 0;
        } catch (SQLException e) {
            throw new StoreException("quota lease failed", e);
        }
    }

    private static void ensureRow(Connection c, CounterId id, long window, long limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO quota_counters (counter_key, window_start, "
                + "limit_value, allocated, used, rule, metric) VALUES (?, ?, ?, 0, 0, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, id.key());
            ps.setLong(2, window);
            ps.setLong(3, limit);
            ps.setString(4, id.rule());
            ps.setString(5, id.metric().key());
            ps.executeUpdate();
        }
    }

    private static boolean take(Connection c, CounterId id, long window, long limit, long amount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE quota_counters SET allocated = allocated + ?, "
                + "limit_value = ? WHERE counter_key = ? AND window_start = ? AND allocated + ? <= ?")) {
            ps.setLong(1, amount);
            ps.setLong(2, limit);
            ps.setString(3, id.key());
            ps.setLong(4, window);
            ps.setLong(5, amount);
            ps.setLong(6, limit);
            return ps.executeUpdate() == 1;
        }
    }

    private static long remaining(Connection c, CounterId id, long window, long limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT allocated FROM quota_counters WHERE counter_key = ? AND window_start = ?")) {
            ps.setString(1, id.key());
            ps.setLong(2, window);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? limit - rs.getLong(1) : limit;
            }
        }
    }

    /**
     * Adds to the allocation without a check: returning unused lease (negative), or recording usage beyond what was
     * leased (a request that used more than it reserved — the overrun is at most that request's).
     */
    void adjust(CounterId id, long window, long delta) {
        update("UPDATE quota_counters SET allocated = CASE WHEN allocated + ? < 0 THEN 0 ELSE allocated + ? END "
                + "WHERE counter_key = ? AND window_start = ?", delta, delta, id.key(), window);
    }

    /** Adds settled usage; returns the counter's usage before and after. */
    long[] addUsed(CounterId id, long window, long delta) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE quota_counters SET used = used + ? "
                     + "WHERE counter_key = ? AND window_start = ? RETURNING used, limit_value")) {
            ps.setLong(1, delta);
            ps.setString(2, id.key());
            ps.setLong(3, window);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return new long[] {0, 0, 0};
                long after = rs.getLong(1);
                return new long[] {after - delta, after, rs.getLong(2)};
            }
        } catch (SQLException e) {
            throw new StoreException("quota usage update failed", e);
        }
    }

    /** True for the one caller (across replicas) that records this threshold crossing first. */
    boolean firstAlert(CounterId id, long window, int threshold) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO quota_alerts (counter_key, window_start, threshold) "
                     + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, id.key());
            ps.setLong(2, window);
            ps.setInt(3, threshold);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("quota alert failed", e);
        }
    }

    /** Counters whose window started at or after {@code since} (epoch seconds), for the budget API. */
    List<CounterState> since(long since) {
        List<CounterState> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT counter_key, rule, metric, window_start, limit_value, "
                     + "allocated, used FROM quota_counters WHERE window_start >= ? ORDER BY counter_key, window_start")) {
            ps.setLong(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CounterState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("quota read failed", e);
        }
        return out;
    }

    private void update(String sql, long a, long b, String key, long window) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, a);
            ps.setLong(2, b);
            ps.setString(3, key);
            ps.setLong(4, window);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("quota update failed", e);
        }
    }
}
