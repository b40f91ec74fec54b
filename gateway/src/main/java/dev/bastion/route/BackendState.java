package dev.bastion.route;

import dev.bastion.config.BackendSettings;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What routing knows about one backend, shared by every alias it serves: whether it is in rotation (active health
 * probes; passive ejection after consecutive failures, for a time that doubles with each ejection in a row, then a
 * trial call), and its concurrency limit with a bounded queue of waiting calls.
 */
public final class BackendState {
    private static final long MAX_EJECTION_NANOS = Duration.ofMinutes(5).toNanos();

    private final String name;
    private final BackendSettings.Balancing settings;
    private final LongSupplier nanoClock;
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean probeHealthy = true;
    private int consecutiveFailures;
    private int ejections;
    private long ejectedUntil;
    private boolean ejected;
    private long ejectionsTotal;

    BackendState(String name, BackendSettings.Balancing settings, LongSupplier nanoClock) {
        this.name = name;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.slots = new Semaphore(settings.maxConcurrency(), true);
    }

    public String name() { return name; }

    BackendSettings.Balancing settings() { return settings; }

    /** Null when the backend may be tried now; else why not: {@code unhealthy} (probe) or {@code ejected}. */
    public synchronized String unavailable() {
        if (!probeHealthy) return "unhealthy";
        if (ejected && nanoClock.getAsLong() - ejectedUntil < 0) return "ejected";
        return null;
    }

    /**
     * A concurrency slot, waiting in the queue if every slot is taken; false when the queue is full or the wait
     * timed out (the caller tries the next backend or answers 429).
     */
    boolean acquire() throws InterruptedException {
        if (slots.tryAcquire()) return true;
        if (waiting.incrementAndGet() > settings.queue()) {
            waiting.decrementAndGet();
            return false;
        }
        try {
            return slots.tryAcquire(settings.queueTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            waiting.decrementAndGet();
        }
    }

    void release() { slots.release(); }

    /** A call succeeded: the failure run ends, and an ejected backend on trial is back for good. */
    synchronized void succeeded() {
        consecutiveFailures = 0;
        if (ejected && nanoClock.getAsLong() - ejectedUntil >= 0) {
            ejected = false;
            ejections = 0;
        }
    }

    /** A call failed at the backend: enough in a row (one, while on trial after an ejection) takes it out. */
    synchronized void failed() {
        long now = nanoClock.getAsLong();
        boolean onTrial = ejected && now - ejectedUntil >= 0;
        if (ejected && !onTrial) return; // calls that started before the ejection
        consecutiveFailures++;
        if (onTrial || consecutiveFailures >= settings.ejectAfter()) {
            long base = settings.ejectFor().toNanos();
            long time = Math.min(MAX_EJECTION_NANOS, base << Math.min(ejections, 20));
            ejected = true;
            ejectedUntil = now + time;
            ejections++;
            ejectionsTotal++;
            consecutiveFailures = 0;
        }
    }

    /** An active health probe's result: a failing probe takes the backend out until a probe succeeds. */
    void probed(boolean healthy) { probeHealthy = healthy; }

    /** Calls in flight (for metrics). */
    public int inFlight() { return settings.maxConcurrency() - slots.availablePermits(); }

    /** Calls waiting for a slot (for metrics). */
    public int queued() { return waiting.get(); }

    /** How often the backend was ejected since start (for metrics). */
    public synchronized long ejectionsTotal() { return ejectionsTotal; }
}
