package dev.bastion.backend;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keep-alive connections to one backend. A semaphore bounds concurrent calls (the backend's concurrency limit);
 * idle connections are reused most-recent-first and dropped after {@code maxIdleNanos}, before the server is
 * likely to have closed them.
 */
final class ConnectionPool implements AutoCloseable {
    /** Opens a fresh connection (TCP, TLS or a Unix-domain socket). */
    interface Connector {
        UpstreamConnection connect() throws IOException;
    }

    private final Connector connector;
    private final java.util.function.Predicate<UpstreamConnection> reusable;
    private final Semaphore permits;
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final long maxIdleNanos;
    private volatile boolean closed;

    ConnectionPool(Connector connector, int maxConnections, long maxIdleNanos) {
        this(connector, maxConnections, maxIdleNanos, c -> true);
    }

    /** @param reusable whether an idle, open connection may carry another request (e.g. its TLS session still attested) */
    ConnectionPool(Connector connector, int maxConnections, long maxIdleNanos,
                   java.util.function.Predicate<UpstreamConnection> reusable) {
        this.connector = connector;
        this.reusable = reusable;
        this.permits = new Semaphore(maxConnections, true);
        this.maxIdleNanos = maxIdleNanos;
    }

    /** Waits up to {@code waitMillis} for a free slot; returns false when the backend is at its limit. */
    boolean acquirePermit(long waitMillis) throws InterruptedException {
        return permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
    }

    void releasePermit() {
        permits.release();
    }

    /** An idle connection if one is fresh enough, else a new one. The caller holds a permit. */
    UpstreamConnection borrow() throws IOException {
        long now = System.nanoTime();
        while (true) {
            UpstreamConnection c;
            lock.lock();
            try {
                c = idle.pollFirst();
            } finally {
                lock.unlock();
            }
            if (c == null) break;
            if (now - c.idleSince < maxIdleNanos && c.isOpen() && reusable.test(c)) {
                c.reused = true;
                return c;
            }
            c.close();
        }
        UpstreamConnection fresh = connector.connect();
        fresh.reused = false;
        return fresh;
    }

    /** Returns a connection whose last answer was fully read. */
    void giveBack(UpstreamConnection c) {
        if (closed) {
            c.close();
            return;
        }
        c.idleSince = System.nanoTime();
        lock.lock();
        try {
            idle.addFirst(c);
        } finally {
            lock.unlock();
        }
    }

    int idleCount() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            idle.forEach(UpstreamConnection::close);
            idle.clear();
        } finally {
            lock.unlock();
        }
    }
}
