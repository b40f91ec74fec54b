package dev.bastion.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit: appenders queue their entry and wait; one writer thread takes everything waiting (up to
 * {@code maxBatch}) and writes it in one transaction, so one fsync covers many appends. A future completes with the
 * entry's leaf index only after its transaction committed; if the transaction fails, every entry of the batch fails
 * and none of them is stored.
 */
final class GroupCommitter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GroupCommitter.class.getName());

    /**
     * @param late told the index when the entry was stored after its appender had given up (may be null)
     * @param waitedOn whether a request is blocked on this entry; entries nobody waits on may linger for company
     */
    private record Pending(byte[] data, CompletableFuture<Long> index, LongConsumer late, boolean waitedOn) {}

    /**
     * How long entries nobody waits on (request outcomes, written after the answer) are held back for an awaited
     * entry to share their transaction. Each transaction costs an fsync, whose CPU is the largest part of the
     * audit's cost per request; riding along with the next accept roughly halves the transactions under load.
     */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final LedgerAppender appender; // writer thread only
    private final int maxBatch;
    private final LinkedBlockingQueue<Pending> queue;
    private final Thread writer;
    private final LongAdder batches = new LongAdder();
    private final LongAdder appended = new LongAdder();
    private volatile boolean closed;

    GroupCommitter(LedgerStore store, int maxBatch, int queueCapacity) {
        this.appender = new LedgerAppender(store);
        this.maxBatch = maxBatch;
        this.queue = new LinkedBlockingQueue<>(queueCapacity);
        this.writer = Thread.ofPlatform().name("bastion-audit-writer").daemon(true).unstarted(this::run);
        writer.start();
    }

    /** Queues an entry; the future completes with its leaf index once durable, or fails. */
    CompletableFuture<Long> submit(byte[] data) {
        return submit(data, null);
    }

    /** Queues an entry nobody is blocked on: it may wait up to {@link #LINGER_NANOS} to share a transaction. */
    CompletableFuture<Long> submitUnawaited(byte[] data) {
        return enqueue(new Pending(data, new CompletableFuture<>(), null, false));
    }

    /**
     * Queues an entry. If its appender completes the future itself (gives up) while the entry's transaction is
     * already running and that transaction then commits, the entry is stored after all: {@code late} is told its
     * index so that the caller's decision (e.g. a refusal) can be recorded next to it.
     */
    CompletableFuture<Long> submit(byte[] data, LongConsumer late) {
        return enqueue(new Pending(data, new CompletableFuture<>(), late, true));
    }

    private CompletableFuture<Long> enqueue(Pending p) {
        CompletableFuture<Long> f = p.index();
        if (closed) {
            f.completeExceptionally(new AuditUnavailableException("audit log is closed"));
        } else if (!queue.offer(p)) {
            f.completeExceptionally(new AuditUnavailableException("audit write queue is full"));
        }
        return f;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                lingerForAwaited(batch);
                // an appender that gave up (timed out) has completed its future: do not write its entry
                batch.removeIf(p -> p.index().isDone());
                if (!batch.isEmpty()) write(batch);
            } catch (InterruptedException e) {
                if (closed) break;
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "audit writer failed: " + e.getClass().getName());
                fail(batch, e);
            } finally {
                batch.clear();
            }
        }
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        fail(rest, new AuditUnavailableException("audit log is closed"));
        appender.close();
    }

    /** While nothing in the batch is awaited, waits a little for an entry that is (or for a full batch). */
    private void lingerForAwaited(List<Pending> batch) throws InterruptedException {
        long deadline = System.nanoTime() + LINGER_NANOS;
        int checked = 0; // entries before this index are known not to be awaited
        while (!closed && batch.size() < maxBatch) {
            for (; checked < batch.size(); checked++) if (batch.get(checked).waitedOn()) return;
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) return;
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
        }
    }

    private void write(List<Pending> batch) {
        long first;
        try {
            // the writer keeps its own connection so that appends never queue behind other users of the pool;
            // taking one may wait, and appenders that gave up meanwhile are not written
            appender.connect();
            batch.removeIf(p -> p.index().isDone());
            if (batch.isEmpty()) return;
            List<byte[]> data = new ArrayList<>(batch.size());
            for (Pending p : batch) data.add(p.data());
            first = appender.append(data);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "audit append failed: " + e.getClass().getName());
            fail(batch, new AuditUnavailableException("audit append failed", e));
            return;
        }
        batches.increment();
        appended.add(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            if (!p.index().complete(first + i) && p.late() != null) {
                try {
                    p.late().accept(first + i);
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "late-commit record for leaf " + (first + i) + " failed: "
                            + e.getClass().getName());
                }
            }
        }
    }

    private static void fail(List<Pending> batch, Throwable cause) {
        for (Pending p : batch) p.index().completeExceptionally(cause);
    }

    /** Appends so far and the transactions they took (average batch size = appended / batches). */
    long[] stats() { return new long[] {appended.sum(), batches.sum()}; }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
