package dev.bastion.governance;

import dev.bastion.store.Database;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongUnaryOperator;
import java.util.logging.Logger;

/**
 * Registry changes between replicas on PostgreSQL: a writer's transaction NOTIFYs {@value #CHANNEL} with the new
 * registry version (delivered at commit); every replica LISTENs on a connection of its own, reloads its cache on a
 * notification and reports the version it has applied in {@code registry_replicas} with a heartbeat each second.
 * A writer waits until every replica whose heartbeat is live has applied its version. A replica whose listener has
 * not confirmed its connection within {@link #STALE_AFTER} is not fresh, and refuses to route — so a replica that
 * misses a revocation stops serving before the writer's wait gives up.
 */
final class PostgresRegistryChanges implements RegistryChanges {
    static final String CHANNEL = "bastion_registry";
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration STALE_AFTER = Duration.ofSeconds(3);
    private static final Logger LOG = Logger.getLogger(PostgresRegistryChanges.class.getName());

    private final Database db;
    private final String replicaId;
    private volatile LongUnaryOperator reload = v -> v;
    private volatile long healthyAtNanos = Long.MIN_VALUE;
    private volatile boolean running;
    private Thread listener;

    PostgresRegistryChanges(Database db) {
        this.db = db;
        this.replicaId = Ids.next("replica");
    }

    @Override
    public void announce(Connection c, long version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, Long.toString(version));
            ps.execute();
        }
    }

    @Override
    public boolean propagate(long version, Duration timeout) {
        long applied = reload.applyAsLong(version);
        report(applied);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Jdbc.read(db, "registry replicas", c -> lagging(c, version)) == 0) return true;
            if (System.nanoTime() > deadline) return false;
            LockSupport.parkNanos(5_000_000L);
        }
    }

    private int lagging(Connection c, long version) throws SQLException {
        long live = System.currentTimeMillis() - STALE_AFTER.toMillis();
        try (PreparedStatement ps = Jdbc.prepare(c, "SELECT COUNT(*) FROM registry_replicas WHERE replica_id <> ? "
                + "AND heartbeat_at > ? AND seen_version < ?", replicaId, live, version); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public void subscribe(LongUnaryOperator reload) { this.reload = reload; }

    @Override
    public boolean fresh() {
        return running && System.nanoTime() - healthyAtNanos < STALE_AFTER.toNanos();
    }

    /** Starts listening and waits (at most {@link #STALE_AFTER}) until the listener is connected and current. */
    @Override
    public synchronized void start() {
        running = true;
        listener = Thread.ofPlatform().daemon().name("bastion-registry-listen").start(this::listen);
        long deadline = System.nanoTime() + STALE_AFTER.toNanos();
        while (!fresh() && System.nanoTime() < deadline) LockSupport.parkNanos(2_000_000L);
        if (!fresh()) LOG.warning("registry change listener not connected yet: model requests are refused until it is");
    }

    private void listen() {
        while (running) {
            try (Connection c = db.connection()) {
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                long applied = reload.applyAsLong(Jdbc.read(db, "registry version", EntryStore::currentVersion));
                while (running) {
                    heartbeat(c, applied);
                    healthyAtNanos = System.nanoTime();
                    PGNotification[] notes = pg.getNotifications((int) HEARTBEAT.toMillis());
                    long wanted = 0;
                    if (notes != null) {
                        for (PGNotification n : notes) wanted = Math.max(wanted, parse(n.getParameter()));
                    }
                    if (wanted > 0) applied = reload.applyAsLong(wanted);
                }
            } catch (SQLException | RuntimeException e) {
                healthyAtNanos = Long.MIN_VALUE;
                if (running) {
                    LOG.warning("registry change listener lost its connection (" + e.getClass().getSimpleName()
                            + "); this replica refuses to route until it is back");
                    LockSupport.parkNanos(HEARTBEAT.toNanos() / 2);
                }
            }
        }
    }

    private void heartbeat(Connection c, long applied) throws SQLException {
        Jdbc.update(c, "INSERT INTO registry_replicas (replica_id, seen_version, heartbeat_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT (replica_id) DO UPDATE SET seen_version = EXCLUDED.seen_version, "
                        + "heartbeat_at = EXCLUDED.heartbeat_at", replicaId, applied, System.currentTimeMillis());
    }

    private void report(long applied) {
        try {
            Jdbc.read(db, "registry heartbeat", c -> {
                heartbeat(c, applied);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warning("registry heartbeat failed: " + e.getClass().getSimpleName());
        }
    }

    private static long parse(String payload) {
        try {
            return Long.parseLong(payload);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // unknown payload: reload whatever is current
        }
    }

    @Override
    public void close() {
        running = false;
        if (listener != null) listener.interrupt();
        try {
            Jdbc.tx(db, "registry replica leaves", c -> Jdbc.update(c, "DELETE FROM registry_replicas WHERE replica_id = ?",
                    replicaId));
        } catch (RuntimeException e) {
            LOG.fine("replica row not removed: " + e.getClass().getSimpleName());
        }
    }
}
