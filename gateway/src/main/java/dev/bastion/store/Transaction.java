package dev.bastion.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in one transaction of its own: committed when it returns, rolled back when it throws. */
public final class Transaction {
    private Transaction() {}

    /** Work on the transaction's connection, returning a result. */
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * @param what names the operation in the {@link StoreException} (never data)
     */
    public static <T> T run(Database db, String what, Work<T> work) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }
}
