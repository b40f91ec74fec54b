package dev.bastion.store;

import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What wakes the {@link ChangeFeed} loop: a PostgreSQL session that {@code LISTEN}s on the feed's channel, or — on
 * SQLite, where there is no notification — the poll interval and local wake-ups.
 */
sealed interface ChangeListener extends AutoCloseable {

    static ChangeListener open(Database db, String channel) throws SQLException {
        if (!db.isPostgres()) return new Polling();
        Connection c = db.dedicatedConnection();
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + channel);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new Listening(c, c.unwrap(PGConnection.class));
    }

    /** Returns when woken or after {@code timeoutMillis}; throws if the session to the store is lost. */
    void await(long timeoutMillis, Semaphore localWake) throws SQLException;

    @Override
    void close();

    record Polling() implements ChangeListener {
        @Override
        public void await(long timeoutMillis, Semaphore localWake) {
            try {
                localWake.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
                localWake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() { }
    }

    record Listening(Connection connection, PGConnection pg) implements ChangeListener {
        @Override
        public void await(long timeoutMillis, Semaphore localWake) throws SQLException {
            // blocks on the socket until a notification arrives or the timeout passes; the content is not needed,
            // the feed re-reads every version (local wake-ups are covered by this replica's own NOTIFY)
            pg.getNotifications((int) Math.max(1, timeoutMillis));
            localWake.drainPermits();
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is being dropped either way
            }
        }
    }
}
