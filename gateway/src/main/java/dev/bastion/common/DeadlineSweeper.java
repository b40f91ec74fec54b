package dev.bastion.common;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Deadlines watched by one sweeper thread instead of a timer per operation. Arming and disarming are a map put and
 * remove on the caller's own thread, so an operation that finishes in time never wakes another thread. A scheduled
 * task (or a timed socket read, which parks with a timer) per request costs context switches on every request,
 * which on a small machine was a fifth of the gateway's CPU. Expiry is noticed within one period of the deadline.
 *
 * @param <K> what is watched; compared by {@code equals}, so use identity-equal keys (threads, connections)
 */
public final class DeadlineSweeper<K> implements AutoCloseable {
    private final ConcurrentHashMap<K, Long> deadlines = new ConcurrentHashMap<>();
    private final Consumer<K> onExpiry;
    private final ScheduledExecutorService sweeper;

    /** Starts a daemon thread named {@code threadName} that checks the deadlines every {@code period}. */
    public DeadlineSweeper(String threadName, Duration period, Consumer<K> onExpiry) {
        this.onExpiry = onExpiry;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, period.toMillis());
        sweeper.scheduleAtFixedRate(this::sweep, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Watches {@code key} until {@link #disarm}; past {@code timeoutNanos} from now it is expired once. */
    public void arm(K key, long timeoutNanos) {
        deadlines.put(key, System.nanoTime() + timeoutNanos);
    }

    public void disarm(K key) {
        deadlines.remove(key);
    }

    /** How many keys are being watched. */
    public int armed() {
        return deadlines.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        deadlines.forEach((key, deadline) -> {
            if (now - deadline > 0 && deadlines.remove(key, deadline)) {
                try {
                    onExpiry.accept(key);
                } catch (RuntimeException e) {
                    // one failing expiry (e.g. closing an already broken socket) must not stop the sweeper
                }
            }
        });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        deadlines.clear();
    }
}
