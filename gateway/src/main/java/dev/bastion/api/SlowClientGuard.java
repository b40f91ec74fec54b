package dev.bastion.api;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cuts off clients that start a request and then stop sending its headers (slowloris). The web server's idle check
 * covers a stalled request line; this covers the headers; {@link BoundedBody} covers the body. Each connection
 * between its request line and the end of its headers has a deadline; a sweeper closes connections past it.
 */
public final class SlowClientGuard implements Http1ConnectionListener, AutoCloseable {
    private final long limitNanos;
    private final ConcurrentHashMap<ConnectionContext, Long> deadlines = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    public SlowClientGuard(Duration readTimeout) {
        this.limitNanos = readTimeout.toNanos();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bastion-slow-client-guard");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, Math.min(1000, readTimeout.toMillis() / 4));
        sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        deadlines.put(ctx, System.nanoTime() + limitNanos);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        deadlines.remove(ctx);
    }

    int watched() { return deadlines.size(); }

    private void sweep() {
        long now = System.nanoTime();
        deadlines.forEach((ctx, deadline) -> {
            if (now - deadline > 0 && deadlines.remove(ctx, deadline)) {
                try {
                    ctx.serverSocket().close();
                } catch (RuntimeException ignored) {
                    // already closed by the client
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
