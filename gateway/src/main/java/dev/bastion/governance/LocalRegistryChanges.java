package dev.bastion.governance;

import dev.bastion.store.Database;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import java.util.logging.Logger;

/**
 * One replica (SQLite, or PostgreSQL served by a single process): a change reloads the cache synchronously before the
 * writer returns. A poll of the store's registry version also catches changes made by another process on the same
 * store (the CLI's {@code models import}), which can only add drafts and so never make the cache unsafe.
 */
final class LocalRegistryChanges implements RegistryChanges {
    private static final Logger LOG = Logger.getLogger(LocalRegistryChanges.class.getName());

    private final Database db;
    private final Duration pollInterval;
    private volatile LongUnaryOperator reload = v -> v;
    private ScheduledExecutorService poller;

    LocalRegistryChanges(Database db, Duration pollInterval) {
        this.db = db;
        this.pollInterval = pollInterval;
    }

    @Override
    public void announce(Connection c, long version) { }

    @Override
    public boolean propagate(long version, Duration timeout) {
        reload.applyAsLong(version);
        return true;
    }

    @Override
    public void subscribe(LongUnaryOperator reload) { this.reload = reload; }

    @Override
    public boolean fresh() { return true; }

    @Override
    public void start() {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bastion-registry-poll");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::poll, pollInterval.toMillis(), pollInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            reload.applyAsLong(Jdbc.read(db, "registry version", EntryStore::currentVersion));
        } catch (RuntimeException e) {
            LOG.warning("registry poll failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        if (poller != null) poller.shutdownNow();
    }
}
