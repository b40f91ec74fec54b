package dev.bastion.engine;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the model work admitted at once: {@code parallel} generations run in llama.cpp's slots and up to
 * {@code queue} more wait there; anything beyond is refused at once (429) instead of piling up.
 */
final class Admission {
    private final Semaphore permits;
    private final int capacity;
    private final AtomicInteger inflight = new AtomicInteger();

    Admission(int parallel, int queue) {
        this.capacity = parallel + queue;
        this.permits = new Semaphore(capacity);
    }

    /** @return a ticket to close when done, or null when full */
    Ticket tryEnter() {
        if (!permits.tryAcquire()) return null;
        inflight.incrementAndGet();
        return new Ticket();
    }

    int inflight() { return inflight.get(); }

    int capacity() { return capacity; }

    final class Ticket implements AutoCloseable {
        private boolean closed;

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            inflight.decrementAndGet();
            permits.release();
        }
    }
}
