package dev.bastion.telemetry;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Batches finished traces and exports them over OTLP/HTTP on one background thread, so the request path only
 * offers a finished {@link RequestTrace} to a bounded queue. A full queue drops the trace (counted): tracing never
 * slows or blocks a request. A failed export is dropped too (counted, logged once per run of failures), never
 * retried in a loop that would grow memory while the collector is away.
 */
final class TraceExporter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TraceExporter.class.getName());

    private final BlockingQueue<RequestTrace> queue;
    private final OtlpHttp http;
    private final URI url;
    private final OtlpSpans spans;
    private final long delayNanos;
    private final int maxBatch;
    private final Thread thread;
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedExports = new AtomicLong();
    private volatile boolean closed;
    private boolean failing;

    TraceExporter(OtlpHttp http, URI url, OtlpSpans spans, int maxQueued, int maxBatch, Duration delay) {
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        this.http = http;
        this.url = url;
        this.spans = spans;
        this.maxBatch = maxBatch;
        this.delayNanos = delay.toNanos();
        this.thread = new Thread(this::run, "bastion-trace-export");
        thread.setDaemon(true);
        thread.start();
    }

    /** Takes a finished trace; never blocks. */
    void offer(RequestTrace trace) {
        if (!queue.offer(trace)) dropped.addAndGet(OtlpSpans.spanCount(trace));
    }

    long exportedSpans() { return exported.get(); }

    long droppedSpans() { return dropped.get(); }

    long failedExports() { return failedExports.get(); }

    private void run() {
        List<RequestTrace> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                RequestTrace first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) continue;
                batch.add(first);
                // wait up to the delay for more, so a quiet server sends one request per interval, not per trace
                long deadline = System.nanoTime() + delayNanos;
                while (batch.size() < maxBatch && !closed) {
                    queue.drainTo(batch, maxBatch - batch.size());
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || batch.size() >= maxBatch) break;
                    RequestTrace next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next != null) batch.add(next);
                }
                queue.drainTo(batch, maxBatch - batch.size());
            } catch (InterruptedException e) {
                if (!closed) continue;
            }
            if (!batch.isEmpty()) export(batch);
            batch.clear();
        }
    }

    private void export(List<RequestTrace> batch) {
        int count = 0;
        for (RequestTrace t : batch) count += OtlpSpans.spanCount(t);
        try {
            if (http.post(url, spans.encode(batch))) {
                exported.addAndGet(count);
                if (failing) LOG.info("trace export recovered");
                failing = false;
                return;
            }
            failed(count, "the collector refused the export");
        } catch (IOException | RuntimeException e) {
            failed(count, e.getClass().getSimpleName());
        }
    }

    private void failed(int count, String why) {
        dropped.addAndGet(count);
        failedExports.incrementAndGet();
        if (!failing) LOG.warning("trace export failed (" + why + "); spans are dropped until it works again");
        failing = true;
    }

    /** Exports what is queued (at most five seconds more), then stops. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
