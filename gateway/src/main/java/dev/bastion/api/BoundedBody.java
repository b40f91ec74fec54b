package dev.bastion.api;

import dev.bastion.pipeline.BodySource;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Reads a request body with a hard size limit, stopping as soon as it is passed (a huge body is refused without
 * being buffered). A body the client stops sending mid-way ends with the server's read timeout.
 */
record BoundedBody(ServerRequest request) implements BodySource {

    @Override
    public byte[] read(long maxBytes) {
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
        } catch (IOException | UncheckedIOException e) {
            throw new ProblemException(ErrorCode.REQUEST_TIMEOUT, "request body could not be read completely");
        }
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }

    private static ProblemException tooLarge(long max) {
        return new ProblemException(ErrorCode.BODY_TOO_LARGE, "request body exceeds the limit of " + max + " bytes");
    }
}
