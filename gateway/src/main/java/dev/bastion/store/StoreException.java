package dev.bastion.store;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;

/** A storage operation failed. The message names the operation, never the data. */
public final class StoreException extends RuntimeException {
    /** PostgreSQL: serialization failure, deadlock, lock not available, statement timeout. */
    private static final Set<String> PG_BUSY = Set.of("40001", "40P01", "55P03", "57014");
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;

    public StoreException(String operation, Throwable cause) {
        super("store operation failed: " + operation + " (" + cause.getClass().getSimpleName() + ")", cause);
    }

    /**
     * Whether the store was only busy — another writer held the lock past the wait, or no pooled connection came
     * in time — so the same call may succeed later (503, retry) rather than having failed (500).
     */
    public boolean busy() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException) return true; // includes the pool's connection timeout
            if (t instanceof SQLException e) {
                if (e.getSQLState() != null && PG_BUSY.contains(e.getSQLState())) return true;
                int primary = e.getErrorCode() & 0xff; // SQLite extended codes keep the primary one in the low byte
                boolean sqlite = e.getClass().getName().startsWith("org.sqlite.");
                if (sqlite && (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)) return true;
            }
        }
        return false;
    }
}
