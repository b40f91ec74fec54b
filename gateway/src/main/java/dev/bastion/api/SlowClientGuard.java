package dev.bastion.api;

import dev.bastion.common.DeadlineSweeper;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.time.Duration;

/**
 * Cuts off clients that start a request and then stop sending its headers (slowloris). The web server's idle check
 * covers a stalled request line; this covers the headers; {@link BoundedBody} covers the body. Each connection
 * between its request line and the end of its headers has a deadline; a sweeper closes connections past it.
 */
public final class SlowClientGuard implements Http1ConnectionListener, AutoCloseable {
    private final long limitNanos;
    private final DeadlineSweeper<ConnectionContext> deadlines;

    public SlowClientGuard(Duration readTimeout) {
        this.limitNanos = readTimeout.toNanos();
        this.deadlines = new DeadlineSweeper<>("bastion-slow-client-guard",
                Duration.ofMillis(Math.max(100, Math.min(1000, readTimeout.toMillis() / 4))),
                ctx -> ctx.serverSocket().close());
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        deadlines.arm(ctx, limitNanos);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        deadlines.disarm(ctx);
    }

    int watched() { return deadlines.armed(); }

    @Override
    public void close() {
        deadlines.close();
    }
}
