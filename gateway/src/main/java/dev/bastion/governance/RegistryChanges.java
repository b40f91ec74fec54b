package dev.bastion.governance;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * How registry changes reach the routing cache of every replica — the seam to be replaced by the shared
 * change-propagation primitive ({@code store.ChangeFeed}) once it lands. Semantics: a replica serves from its cache
 * only while it can vouch that it has seen every committed change ("fresh or refuse"), and a writer can wait until
 * every live replica has applied its change, so that a revocation holds on the next request everywhere.
 */
public interface RegistryChanges extends AutoCloseable {

    /** Called inside the writing transaction, after the store's registry version was bumped to {@code version}. */
    void announce(Connection c, long version) throws SQLException;

    /**
     * After the commit: applies the change on this replica at once, then waits up to {@code timeout} until every
     * live replica has applied {@code version}.
     *
     * @return true when every live replica confirmed in time
     */
    boolean propagate(long version, Duration timeout);

    /**
     * The action that reloads this replica's cache: called with the store version it should reach at least, it
     * returns the version the cache now reflects.
     */
    void subscribe(LongUnaryOperator reload);

    /** Whether this replica can be sure its cache has seen every committed change. */
    boolean fresh();

    /** Starts listening (after {@link #subscribe}). */
    void start();

    @Override
    void close();

    /** LISTEN/NOTIFY between replicas on PostgreSQL; one replica (plus a version poll) on SQLite. */
    static RegistryChanges forStore(dev.bastion.store.Database db) {
        return db.isPostgres() ? new PostgresRegistryChanges(db) : new LocalRegistryChanges(db, Duration.ofSeconds(1));
    }
}
