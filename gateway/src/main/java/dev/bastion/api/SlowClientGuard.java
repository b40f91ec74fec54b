package dev.bastion.api;

import dev.bastion.common.DeadlineSweeper;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.time.Duration;

/**
 * Cuts off clients that start a request and then stop sending its headers (slowloris) — with a 408, not a silent
 * close. The web server's idle check covers a stalled request line; this covers the headers; {@link BoundedBody}
 * covers the body. Each connection between its request line and the end of its headers has a deadline; a sweeper
 * answers and closes connections past it. It also tells the request's code which connection it runs on (the same
 * thread), so the body deadline can answer 408 too.
 */
public final class SlowClientGuard implements Http1ConnectionListener, AutoCloseable {
    private static final ThreadLocal<TimeoutAnswer> HEADERS = new ThreadLocal<>();
    private final long limitNanos;
    private final DeadlineSweeper<TimeoutAnswer> deadlines;

    public SlowClientGuard(Duration readTimeout) {
        this.limitNanos = readTimeout.toNanos();
        this.deadlines = new DeadlineSweeper<>("bastion-slow-client-guard",
                Duration.ofMillis(Math.max(100, Math.min(1000, readTimeout.toMillis() / 4))), TimeoutAnswer::expire);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        TimeoutAnswer t = new TimeoutAnswer(ctx);
        TimeoutAnswer.CONNECTION.set(ctx);
        HEADERS.set(t);
        deadlines.arm(t, limitNanos);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        TimeoutAnswer t = HEADERS.get();
        if (t == null) return;
        HEADERS.remove();
        deadlines.disarm(t);
        t.claimForReader(); // a 408 that raced the last header line stays the answer; the route's write then fails
    }

    int watched() { return deadlines.armed(); }

    @Override
    public void close() {
        deadlines.close();
    }
}
