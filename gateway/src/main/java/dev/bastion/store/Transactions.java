package dev.bastion.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** One transaction, done one way: committed when the work returns, rolled back when it throws. */
public final class Transactions {
    private Transactions() {}

    /** Work done inside a transaction. */
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction on a connection of {@code ds}; a failure is a {@link StoreException}. */
    public static <T> T run(DataSource ds, String operation, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return inTransaction(ds, c, work);
        } catch (SQLException e) {
            throw new StoreException(operation, e);
        }
    }

    /**
     * Runs {@code work} as one transaction on {@code c} (a connection of {@code ds}); the connection's auto-commit
     * mode is restored either way. SQLite rolls a transaction back on its own after some errors (SQLITE_FULL), after
     * which its driver can no longer leave manual-commit mode: such a connection is evicted from the pool rather than
     * reused in an unknown state, and the original failure is not masked.
     */
    public static <T> T inTransaction(DataSource ds, Connection c, Work<T> work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        SQLException failure = null;
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            failure = e;
            rollbackQuietly(c);
            throw e;
        } catch (RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            try {
                c.setAutoCommit(auto);
            } catch (SQLException e) {
                evict(ds, c);
                if (failure != null) failure.addSuppressed(e);
                else throw e;
            }
        }
    }

    /** Takes {@code c} out of the pool so it is never handed out again (closing it is all a plain source allows). */
    public static void evict(DataSource ds, Connection c) {
        try {
            ds.unwrap(com.zaxxer.hikari.HikariDataSource.class).evictConnection(c);
        } catch (SQLException | RuntimeException ignored) {
            // not a Hikari pool
        }
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is in trouble already; the original failure is what matters
        }
    }
}
