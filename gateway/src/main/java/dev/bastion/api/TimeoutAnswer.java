package dev.bastion.api;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemJson;
import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A request whose headers or body did not arrive in time gets a 408 (RFC 9110 §15.5.9) before its connection is
 * closed, not a silent cut. The deadline fires on the sweeper thread while the connection's own thread is blocked in a
 * read; whoever first claims the request — the sweeper (timed out) or the reader (finished in time) — owns the
 * socket's output, so the 408 and a regular answer can never interleave.
 */
final class TimeoutAnswer {
    private static final Logger LOG = Logger.getLogger(TimeoutAnswer.class.getName());

    private final ConnectionContext connection;
    private final AtomicBoolean claimed = new AtomicBoolean();

    TimeoutAnswer(ConnectionContext connection) {
        this.connection = connection;
    }

    /** Where connection listeners and the request's own code meet: both run on the connection's thread. */
    static final ThreadLocal<ConnectionContext> CONNECTION = new ThreadLocal<>();

    /** The reader finished in time: true when it may answer normally, false when the 408 went out instead. */
    boolean claimForReader() { return claimed.compareAndSet(false, true); }

    /** Sweeper thread: past the deadline. Writes the 408 and closes, unless the reader claimed the request first. */
    void expire() {
        if (!claimed.compareAndSet(false, true)) return;
        try {
            byte[] body = ProblemJson.render(ErrorCode.REQUEST_TIMEOUT.problem("request was not received in time"));
            String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "Content-Length: " + body.length + "\r\n" + HelidonResponseSink.REQUEST_ID.defaultCase() + ": "
                    + RequestIds.next() + "\r\n\r\n";
            BufferData out = BufferData.growing(head.length() + body.length);
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            connection.serverSocket().write(out);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "408 to a slow client not delivered: " + e.getClass().getSimpleName());
        } finally {
            try {
                connection.serverSocket().close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "slow client's connection already closed");
            }
        }
    }
}
