package dev.bastion.quota;

/**
 * This replica's share of one counter in the current window: how much it leased from the database and how much of
 * that its admitted requests have spent (reserved, then settled). Requests are admitted against the lease without a
 * round trip; only when it runs short does the replica lease more. Unused lease goes back when idle.
 */
final class Lease {
    private final CounterId id;
    private long window = Long.MIN_VALUE;
    private long leased;
    private long spent;
    private long lastUse;

    Lease(CounterId id) {
        this.id = id;
    }

    CounterId id() { return id; }

    /** Reserves {@code amount} in {@code window}; leases more from the store when short. False when the limit is reached. */
    synchronized boolean take(QuotaStore store, long window, long amount, long limit, long chunk, long nowNanos) {
        if (window != this.window) { // a new window: the old one's lease is over
            this.window = window;
            leased = 0;
            spent = 0;
        }
        lastUse = nowNanos;
        if (spent + amount <= leased) {
            spent += amount;
            return true;
        }
        long need = spent + amount - leased;
        long got = store.lease(id, window, limit, Math.max(need, chunk), need);
        if (got < need) return false;
        leased += got;
        spent += amount;
        return true;
    }

    /** Undoes a reservation that was not used (another limit refused the request). */
    synchronized void untake(long window, long amount) {
        if (window == this.window) spent = Math.max(0, spent - amount);
    }

    /**
     * Replaces a reservation by what was really used. Spending beyond the lease is recorded in the store at once
     * (the overrun is bounded by this one request's underestimate).
     */
    synchronized void settle(QuotaStore store, long window, long reserved, long actual) {
        long delta = actual - reserved;
        if (window != this.window) {
            if (delta > 0) store.adjust(id, window, delta); // settled after its window closed: record the overrun
            return;
        }
        spent = Math.max(0, spent + delta);
        if (spent > leased) {
            store.adjust(id, window, spent - leased);
            leased = spent;
        }
    }

    /** Returns the unused lease to the store when nothing was taken for {@code idleNanos}. */
    synchronized void returnIfIdle(QuotaStore store, long nowNanos, long idleNanos) {
        if (leased > spent && nowNanos - lastUse >= idleNanos) {
            store.adjust(id, window, -(leased - spent));
            leased = spent;
        }
    }
}
