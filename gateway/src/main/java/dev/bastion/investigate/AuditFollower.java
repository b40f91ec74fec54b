package dev.bastion.investigate;

import dev.bastion.store.Database;
import dev.bastion.store.StoreException;
import dev.bastion.store.Transactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Follows the audit log as entries are sequenced and hands them, in index order and in batches, to one consumer
 * (the search indexer, a SIEM sink). Where it stands is a row of {@code audit_followers}, advanced in the same
 * transaction as the consumer's own writes, so a restart resumes exactly after the last delivered entry. A lease on
 * that row lets one replica at a time follow; another takes over when the lease lapses.
 */
public final class AuditFollower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AuditFollower.class.getName());

    /** One sequenced entry: its leaf index and its canonical JSON bytes. */
    public record LogEntry(long index, byte[] data) {}

    /** Receives batches in order. Throwing leaves the cursor where it was: the batch comes again. */
    public interface Consumer {
        /** Delivers a batch outside any store transaction (to a socket, a file). */
        default void deliver(List<LogEntry> batch) throws Exception {}

        /** Writes a batch to the store in the transaction that then advances the cursor. */
        default void write(List<LogEntry> batch, Connection tx) throws SQLException {}

        /** Called when the follower stops (flush and close connections). */
        default void stopped() {}
    }

    public enum Start { BEGINNING, END }

    private final Database db;
    private final String name;
    private final Consumer consumer;
    private final Clock clock;
    private final Duration poll;
    private final int batch;
    private final Start start;
    private final String owner = UUID.randomUUID().toString();
    private final Semaphore wake = new Semaphore(0);
    private final Duration lease = Duration.ofSeconds(15);
    private volatile boolean closed;
    private Thread thread;

    public AuditFollower(Database db, String name, Consumer consumer, Clock clock, Duration poll, int batch, Start start) {
        this.db = db;
        this.name = name;
        this.consumer = consumer;
        this.clock = clock;
        this.poll = poll;
        this.batch = batch;
        this.start = start;
    }

    public String name() { return name; }

    /** Follows on a thread of its own until {@link #close()}. */
    public AuditFollower start() {
        thread = Thread.ofPlatform().name("bastion-follow-" + name).daemon(true).start(this::run);
        return this;
    }

    /** Looks for new entries now instead of at the next poll. */
    public void wake() { wake.release(); }

    private void run() {
        long backoff = poll.toMillis();
        while (!closed) {
            try {
                int delivered = step();
                backoff = poll.toMillis();
                if (delivered == batch) continue;
                wake.tryAcquire(poll.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closed) return;
                LOG.warning("audit follower " + name + ": " + e.getClass().getSimpleName() + ", retrying");
                try {
                    wake.tryAcquire(backoff, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    /**
     * Delivers at most one batch if this process holds (or can take) the lease; returns how many entries. Tests and
     * catch-up callers run it directly.
     */
    public synchronized int step() throws Exception {
        List<LogEntry> entries;
        try (Connection c = db.connection()) {
            if (!due(c)) return 0; // read-only: an idle follower writes nothing
            Long from = lease(c);
            if (from == null) return 0;
            entries = read(c, from);
        }
        if (entries.isEmpty()) return 0;
        consumer.deliver(entries);
        long next = entries.getLast().index() + 1;
        Transactions.run(db.dataSource(), "audit follower " + name, c -> {
            consumer.write(entries, c);
            advance(c, next);
            return null;
        });
        return entries.size();
    }

    /** Delivers until caught up with what is sequenced now (for callers that need the index current). */
    public void catchUp() throws Exception {
        while (step() == batch) { /* more */ }
    }

    /** The next index to deliver (where a restarted follower resumes). */
    public long position() {
        try (Connection c = db.connection();
             PreparedStatement q = c.prepareStatement("SELECT next_index FROM audit_followers WHERE name = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new StoreException("audit follower position", e);
        }
    }

    /** Whether entries wait beyond the cursor (or the cursor does not exist yet). */
    private boolean due(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT f.next_index, s.next_index FROM audit_sequence s "
                + "LEFT JOIN audit_followers f ON f.name = ? WHERE s.id = 1")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) return false;
                long cursor = rs.getLong(1);
                return rs.wasNull() || cursor < rs.getLong(2);
            }
        }
    }

    /** Takes or renews the lease; the cursor when held, null when another process holds it. */
    private Long lease(Connection c) throws SQLException {
        long now = clock.millis();
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO audit_followers (name, next_index, owner, "
                + "lease_until, updated_at) VALUES (?, ?, NULL, 0, ?) ON CONFLICT (name) DO NOTHING")) {
            ins.setString(1, name);
            ins.setLong(2, start == Start.END ? sequenced(c) : 0);
            ins.setLong(3, now);
            ins.executeUpdate();
        }
        try (PreparedStatement up = c.prepareStatement("UPDATE audit_followers SET owner = ?, lease_until = ? "
                + "WHERE name = ? AND (owner = ? OR owner IS NULL OR lease_until < ?)")) {
            up.setString(1, owner);
            up.setLong(2, now + lease.toMillis());
            up.setString(3, name);
            up.setString(4, owner);
            up.setLong(5, now);
            if (up.executeUpdate() != 1) return null;
        }
        try (PreparedStatement q = c.prepareStatement("SELECT next_index FROM audit_followers WHERE name = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long sequenced(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT next_index FROM audit_sequence WHERE id = 1");
             ResultSet rs = q.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private List<LogEntry> read(Connection c, long from) throws SQLException {
        List<LogEntry> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(
                "SELECT idx, data FROM audit_entries WHERE idx >= ? ORDER BY idx LIMIT " + batch)) {
            q.setLong(1, from);
            try (ResultSet rs = q.executeQuery()) {
                long expected = from;
                while (rs.next()) {
                    long idx = rs.getLong(1);
                    if (idx != expected) break; // never skip: a gap is filled before it is passed
                    out.add(new LogEntry(idx, rs.getBytes(2)));
                    expected++;
                }
            }
        }
        return out;
    }

    private void advance(Connection c, long next) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE audit_followers SET next_index = ?, updated_at = ? "
                + "WHERE name = ? AND owner = ?")) {
            up.setLong(1, next);
            up.setLong(2, clock.millis());
            up.setString(3, name);
            up.setString(4, owner);
            if (up.executeUpdate() != 1) throw new SQLException("lease lost");
        }
    }

    /** Stops after the batch in hand, lets the consumer flush, and releases the lease for another replica. */
    @Override
    public void close() {
        closed = true;
        wake.release();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            consumer.stopped();
            try (Connection c = db.connection();
                 PreparedStatement up = c.prepareStatement("UPDATE audit_followers SET owner = NULL, lease_until = 0 "
                         + "WHERE name = ? AND owner = ?")) {
                up.setString(1, name);
                up.setString(2, owner);
                up.executeUpdate();
            } catch (SQLException | RuntimeException e) {
                LOG.warning("audit follower " + name + ": lease not released (" + e.getClass().getSimpleName() + ")");
            }
        }
    }
}
