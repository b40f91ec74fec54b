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
 * being buffered), and a deadline for the whole body: a client that stops sending, or dribbles, gets a 408 and its
 * connection is closed ({@link TimeoutAnswer}). Broken framing (a chunk size that is not hex or does not fit) is a
 * 400 {@code malformed_request}, not a timeout.
 */
record BoundedBody(ServerRequest request, Duration deadline) implements BodySource {
    /** Answers readers past their deadline; a sweeper, not a timer per request (see DeadlineSweeper). */
    private static final DeadlineSweeper<Object> DEADLINES =
            new DeadlineSweeper<>("bastion-body-deadline", Duration.ofMillis(50), BoundedBody::expire);

    private static void expire(Object key) {
        if (key instanceof TimeoutAnswer t) t.expire();
        else if (key instanceof Thread reader) reader.interrupt(); // no connection known: cut it off
    }

    @Override
    public byte[] read(long maxBytes) {
        var connection = TimeoutAnswer.CONNECTION.get();
        Object key = connection != null ? new TimeoutAnswer(connection) : Thread.currentThread();
        DEADLINES.arm(key, deadline.toNanos());
        byte[] body = null;
        ProblemException failed = null;
        try {
            body = readBounded(maxBytes);
        } catch (ProblemException e) {
            failed = e;
        } finally {
            DEADLINES.disarm(key);
            Thread.interrupted(); // a cut-off that raced the end of the body must not leak into later work
        }
        if (key instanceof TimeoutAnswer t && !t.claimForReader()) {
            // the deadline answered 408 and closed the connection: nothing more may be written
            throw new ProblemException(ErrorCode.REQUEST_TIMEOUT.problem("request body was not received in time")
                    .withDetail(ANSWERED, "true"));
        }
        if (failed != null) throw failed;
        return body;
    }

    /** Problem detail marking a refusal that was already answered on the connection (so nobody answers again). */
    static final String ANSWERED = "answered";

    private byte[] readBounded(long maxBytes) {
        long declared = request.headers().contentLength().orElse(-1);
        if (declared > maxBytes) throw tooLarge(maxBytes);
        int initial = declared >= 0 ? (int) declared : 8192;
        byte[] buf = new byte[Math.max(initial, 16)];
        int len = 0;
        // not closed on failure: closing drains the rest of the body, which for broken chunked framing blocks until
        // the deadline; the answer to a malformed or oversized body closes the connection instead
        try {
            InputStream in = request.content().inputStream();
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
            in.close(); // read to its end: nothing left to drain
        } catch (RequestException e) {
            // the web server's own limit (chunked bodies are checked per chunk): same answer as ours
            if (e.status().code() == 413) throw tooLarge(maxBytes);
            throw malformed();
        } catch (IllegalArgumentException e) {
            // a chunk size that is not hex or does not fit an int (NumberFormatException), a bad chunk end
            throw malformed();
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProblemException p) throw p;
            throw new ProblemException(ErrorCode.REQUEST_TIMEOUT, "request body could not be read completely");
        }
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }

    private static ProblemException malformed() {
        return new ProblemException(ErrorCode.MALFORMED_REQUEST, "request body framing is malformed");
    }

    private static ProblemException tooLarge(long max) {
        return new ProblemException(ErrorCode.BODY_TOO_LARGE, "request body exceeds the limit of " + max + " bytes");
    }
}
