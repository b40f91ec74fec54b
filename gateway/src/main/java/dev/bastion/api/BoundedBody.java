package dev.bastion.api;

import dev.bastion.common.DeadlineSweeper;
import dev.bastion.pipeline.BodySource;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reads a request body with a hard size limit, stopping as soon as it is passed (a huge body is refused without
 * being buffered), and a deadline for the whole body: a client that stops sending, or dribbles, is cut off by
 * interrupting the reading virtual thread, which closes its socket.
 */
record BoundedBody(ServerRequest request, Duration deadline) implements BodySource {
    /** Interrupts readers past their deadline; a sweeper, not a timer per request (see DeadlineSweeper). */
    private static final DeadlineSweeper<Thread> DEADLINES =
            new DeadlineSweeper<>("bastion-body-deadline", Duration.ofMillis(50), Thread::interrupt);

    @Override
    public byte[] read(long maxBytes) {
        Thread reader = Thread.currentThread();
        DEADLINES.arm(reader, deadline.toNanos());
        try {
            return readBounded(maxBytes);
        } finally {
            DEADLINES.disarm(reader);
            Thread.interrupted(); // a cut-off that raced the end of the body must not leak into later work
        }
    }

    private byte[] readBounded(long maxBytes) {
        long declared = request.headers().contentLength().orElse(-1);
        if (declared > maxBytes) throw tooLarge(maxBytes);
        int initial = declared >= 0 ? (int) declared : 8192;
        byte[] buf = new byte[Math.max(initial, 16)];
        int len = 0;
        try (InputStream in = request.content().inputStream()) {
            while (true) {
                if (len == buf.length) {
                    if (len >= maxBytes) {
                        if (in.read() < 0) break;
                        throw tooLarge(maxBytes);
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(maxBytes, (long) buf.length * 2));
                }
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) break;
                len += n;
            }
        } catch (RequestException e) {
            // the web server's own limit (chunked bodies are checked per chunk): same answer as ours
            if (e.status().code() == 413) throw tooLarge(maxBytes);
            throw new ProblemException(ErrorCode.INVALID_JSON, "request body is malformed");
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProblemException p) throw p;
            throw new ProblemException(ErrorCode.REQUEST_TIMEOUT, "request body could not be read completely");
        }
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }

    private static ProblemException tooLarge(long max) {
        return new ProblemException(ErrorCode.BODY_TOO_LARGE, "request body exceeds the limit of " + max + " bytes");
    }
}
