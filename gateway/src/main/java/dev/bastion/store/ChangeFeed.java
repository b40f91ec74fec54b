package dev.bastion.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.logging.Logger;

/**
 * Tells every replica that shared state changed, so caches of it (policy, model registry, consents, …) can be
 * exact rather than "eventually right". A writer bumps a topic's version in the same transaction as its change
 * ({@link #publish(Connection, String)}); every replica re-reads all versions when woken — by PostgreSQL
 * {@code NOTIFY}, or by polling — runs its subscribers for the topics that moved, and acknowledges. The writer can
 * then {@link #awaitApplied wait} until every live replica applied the change.
 *
 * <p><b>Fresh or refuse.</b> A replica counts as live to writers while its heartbeat is younger than
 * {@code staleAfter}, and considers itself {@link #isFresh() fresh} for at most {@code staleAfter} after its last
 * complete sync. So once {@link #awaitApplied} returns — confirmed or timed out after {@code staleAfter} — every
 * replica has either applied the change or stopped being fresh; consumers whose decisions rest on a cache refuse
 * (fail closed) while their feed is not fresh. Notifications only wake the loop: versions are always re-read from the
 * table, so a lost notification or a reconnect delays a change but never loses it.
 *
 * <p>Subscribe <em>before</em> loading the initial state a subscriber caches: a change committed between the two is
 * then either in the load or delivered to the subscriber afterwards.
 */
public final class ChangeFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ChangeFeed.class.getName());
    private static final String CHANNEL = "bastion_changes";

    /** Timing: how often SQLite is polled, how often a replica reports it is alive, when it stops being fresh. */
    public record Settings(Duration pollInterval, Duration heartbeat, Duration staleAfter) {
        public Settings {
            if (staleAfter.compareTo(heartbeat.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("stale-after must be at least two heartbeats");
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5));
        }
    }

    /** What a writer learns from {@link #awaitApplied}: confirmed by every live replica, or which ones lag. */
    public record Propagation(boolean confirmed, int appliedBy, List<String> lagging) {}

    private final Database db;
    private final Settings settings;
    private final String replicaId = UUID.randomUUID().toString();
    private final Map<String, List<LongConsumer>> subscribers = new ConcurrentHashMap<>();
    private final Map<String, Long> applied = new ConcurrentHashMap<>();
    private final Map<String, Long> acked = new HashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final Thread loop;
    private volatile long freshSinceNanos = Long.MIN_VALUE;
    private volatile boolean closed;
    private long lastHeartbeatNanos = Long.MIN_VALUE;
    private ChangeListener listener;

    private ChangeFeed(Database db, Settings settings) {
        this.db = db;
        this.settings = settings;
        this.loop = new Thread(this::run, "bastion-change-feed");
        loop.setDaemon(true);
    }

    /** Registers this replica, takes the current versions as applied, and starts listening. */
    public static ChangeFeed start(Database db, Settings settings) {
        ChangeFeed feed = new ChangeFeed(db, settings);
        feed.syncOnce(true);
        if (!feed.isFresh()) throw new IllegalStateException("change feed: first sync did not complete");
        feed.loop.start();
        return feed;
    }

    public String replicaId() { return replicaId; }

    /** Runs {@code onChange} (with the new version) on the feed's thread after {@code topic} moved. */
    public void subscribe(String topic, LongConsumer onChange) {
        subscribers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(onChange);
    }

    /**
     * Bumps {@code topic}'s version inside the caller's transaction (so the change and its version commit together)
     * and returns the new version; PostgreSQL delivers the wake-up at commit.
     */
    public long publish(Connection c, String topic) throws SQLException {
        long version;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO change_versions (topic, version) VALUES (?, 1) "
                + "ON CONFLICT (topic) DO UPDATE SET version = change_versions.version + 1 RETURNING version")) {
            ps.setString(1, topic);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                version = rs.getLong(1);
            }
        }
        if (db.isPostgres()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                ps.setString(1, CHANNEL);
                ps.setString(2, topic);
                ps.execute();
            }
        }
        return version;
    }

    /** Bumps {@code topic}'s version in a transaction of its own. */
    public long publish(String topic) {
        try (Connection c = db.connection()) {
            return publish(c, topic);
        } catch (SQLException e) {
            throw new StoreException("publish change", e);
        }
    }

    /**
     * Waits until every live replica (this one included) applied {@code version} of {@code topic}, at most
     * {@code staleAfter} plus a heartbeat: by then a replica that did not apply it is no longer fresh.
     */
    public Propagation awaitApplied(String topic, long version) {
        wake.release();
        long deadline = System.nanoTime() + settings.staleAfter().plus(settings.heartbeat()).toNanos();
        String sql = "SELECT r.replica_id, a.version FROM change_replicas r LEFT JOIN change_acks a "
                + "ON a.replica_id = r.replica_id AND a.topic = ? WHERE r.seen_at > " + db.nowMillisSql() + " - ?";
        while (true) {
            List<String> lagging = new ArrayList<>();
            int appliedBy = 0;
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, topic);
                ps.setLong(2, settings.staleAfter().toMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long acked = rs.getLong(2);
                        if (rs.wasNull() || acked < version) lagging.add(rs.getString(1));
                        else appliedBy++;
                    }
                }
            } catch (SQLException e) {
                throw new StoreException("read change acknowledgements", e);
            }
            if (lagging.isEmpty()) return new Propagation(true, appliedBy, List.of());
            if (System.nanoTime() > deadline) return new Propagation(false, appliedBy, List.copyOf(lagging));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** The version of {@code topic} this replica's subscribers have applied (0 if it never changed). */
    public long applied(String topic) { return applied.getOrDefault(topic, 0L); }

    /** True while this replica's view of every topic is at most {@code staleAfter} old. Cheap: call per request. */
    public boolean isFresh() {
        long since = freshSinceNanos;
        return since != Long.MIN_VALUE && System.nanoTime() - since < settings.staleAfter().toNanos();
    }

    private void run() {
        while (!closed) {
            try {
                if (listener == null) listener = ChangeListener.open(db, CHANNEL);
                long waitMillis = db.isPostgres() ? settings.heartbeat().toMillis() : settings.pollInterval().toMillis();
                listener.await(waitMillis, wake);
                if (closed) return;
                syncOnce(false);
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                LOG.warning("change feed: lost the store (" + e.getClass().getSimpleName() + "), reconnecting");
                closeListener();
                LockSupport.parkNanos(settings.pollInterval().toNanos());
            }
        }
    }

    /** One round: read every version, run subscribers of topics that moved, acknowledge, and report alive. */
    private void syncOnce(boolean first) {
        long started = System.nanoTime();
        Map<String, Long> current = new HashMap<>();
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT topic, version FROM change_versions");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) current.put(rs.getString(1), rs.getLong(2));
            }
            boolean allApplied = true;
            for (var e : current.entrySet()) {
                long before = applied.getOrDefault(e.getKey(), 0L);
                if (e.getValue() <= before) continue;
                if (first || deliver(e.getKey(), e.getValue())) applied.put(e.getKey(), e.getValue());
                else allApplied = false;
            }
            acknowledge(c);
            boolean heartbeatDue = first || started - lastHeartbeatNanos >= settings.heartbeat().toNanos();
            if (heartbeatDue) {
                heartbeat(c, first);
                lastHeartbeatNanos = started;
            }
            // fresh only when everything read was applied and this replica is visible to writers as live
            if (allApplied && heartbeatDue) freshSinceNanos = started;
            else if (!allApplied) freshSinceNanos = Long.MIN_VALUE;
        } catch (SQLException e) {
            throw new StoreException("sync changes", e);
        }
    }

    private boolean deliver(String topic, long version) {
        for (LongConsumer s : subscribers.getOrDefault(topic, List.of())) {
            try {
                s.accept(version);
            } catch (RuntimeException e) {
                // the cache behind this subscriber is now behind the store: not fresh until a retry succeeds
                LOG.warning("change feed: a subscriber of '" + topic + "' failed: " + e.getClass().getSimpleName());
                return false;
            }
        }
        return true;
    }

    private void acknowledge(Connection c) throws SQLException {
        List<Map.Entry<String, Long>> due = new ArrayList<>();
        for (var e : applied.entrySet()) {
            if (!e.getValue().equals(acked.get(e.getKey()))) due.add(Map.entry(e.getKey(), e.getValue()));
        }
        if (due.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO change_acks (replica_id, topic, version) "
                + "VALUES (?, ?, ?) ON CONFLICT (replica_id, topic) DO UPDATE SET version = excluded.version")) {
            for (var e : due) {
                ps.setString(1, replicaId);
                ps.setString(2, e.getKey());
                ps.setLong(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        for (var e : due) acked.put(e.getKey(), e.getValue());
    }

    private void heartbeat(Connection c, boolean first) throws SQLException {
        String now = db.nowMillisSql();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO change_replicas (replica_id, started_at, seen_at) "
                + "VALUES (?, " + now + ", " + now + ") ON CONFLICT (replica_id) DO UPDATE SET seen_at = excluded.seen_at")) {
            ps.setString(1, replicaId);
            ps.executeUpdate();
        }
        if (first) {
            // replicas gone for a day will not come back under their id: forget them and their acknowledgements
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM change_acks WHERE replica_id IN (SELECT "
                    + "replica_id FROM change_replicas WHERE seen_at < " + now + " - 86400000)");
                 PreparedStatement ps2 = c.prepareStatement("DELETE FROM change_replicas WHERE seen_at < "
                         + now + " - 86400000")) {
                ps.executeUpdate();
                ps2.executeUpdate();
            }
        }
    }

    private void closeListener() {
        ChangeListener l = listener;
        listener = null;
        if (l != null) l.close();
    }

    /** Stops listening and leaves the cluster cleanly, so writers stop waiting for this replica at once. */
    @Override
    public void close() {
        closed = true;
        wake.release();
        ChangeListener l = listener;
        if (l != null) l.close();
        try {
            loop.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Connection c = db.connection();
             PreparedStatement acks = c.prepareStatement("DELETE FROM change_acks WHERE replica_id = ?");
             PreparedStatement me = c.prepareStatement("DELETE FROM change_replicas WHERE replica_id = ?")) {
            acks.setString(1, replicaId);
            acks.executeUpdate();
            me.setString(1, replicaId);
            me.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.warning("change feed: could not leave the cluster cleanly: " + e.getClass().getSimpleName());
        }
    }
}
