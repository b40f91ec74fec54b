package dev.bastion.api;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts model requests in progress so a shutdown can stop taking new ones and wait for running answers and
 * streams to finish.
 */
public final class InFlight {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final AtomicBoolean draining = new AtomicBoolean();
    private int count;

    /** Registers a request; false when the server is draining and the request must be refused. */
    boolean enter() {
        lock.lock();
        try {
            if (draining.get()) return false;
            count++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    void exit() {
        lock.lock();
        try {
            if (--count == 0) idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public int count() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new requests from now on and waits up to {@code grace} for running ones; true if all finished. */
    public boolean drain(Duration grace) throws InterruptedException {
        draining.set(true);
        long deadline = System.nanoTime() + grace.toNanos();
        lock.lock();
        try {
            while (count > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    public boolean draining() { return draining.get(); }
}
