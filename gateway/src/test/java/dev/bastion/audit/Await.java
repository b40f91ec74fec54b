package dev.bastion.audit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition the system under test makes true on its own threads (no fixed sleeps). */
final class Await {
    private Await() {}

    static void until(Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + timeout);
            LockSupport.parkNanos(5_000_000);
        }
    }
}
