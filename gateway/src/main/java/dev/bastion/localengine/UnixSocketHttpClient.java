package dev.bastion.localengine;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A minimal HTTP/1.1 client for the engine worker's Unix socket: one connection per call, Content-Length request
 * bodies, Content-Length or chunked responses (chunks handed over as they arrive, for SSE). Any transport failure —
 * no socket, refused, the worker dying mid-answer, a timeout — is {@code 503 backend_unavailable}: to the caller the
 * local engine is a backend that is not there right now.
 */
public final class UnixSocketHttpClient {
    private static final int MAX_HEADER_LINE = 8192;
    private static final int MAX_BODY = 64 << 20;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "uds-client-timeout");
        t.setDaemon(true);
        return t;
    });

    /** A complete answer. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() { return new String(body, StandardCharsets.UTF_8); }
    }

    /** Receives a chunked body piece by piece; returning false abandons the rest (closes the connection). */
    public interface ChunkSink {
        boolean accept(byte[] chunk);
    }

    private final Path socket;

    public UnixSocketHttpClient(Path socket) {
        this.socket = socket;
    }

    public Path socket() { return socket; }

    /** Sends a request and reads the whole answer, within {@code timeout}. */
    public Response send(String method, String path, byte[] jsonBody, Duration timeout) {
        return exchange(method, path, jsonBody, timeout, null);
    }

    /**
     * Sends a request; a chunked answer is streamed to {@code sink} and the returned response has an empty body.
     *
     * @param timeout bound on the whole exchange, or null for none (streams end when the worker ends them)
     */
    public Response exchange(String method, String path, byte[] jsonBody, Duration timeout, ChunkSink sink) {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw unavailable("cannot open a socket");
        }
        var timer = timeout == null ? null : TIMER.schedule(() -> close(ch), timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (ch) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(ch);
            byte[] body = jsonBody == null ? new byte[0] : jsonBody;
            StringBuilder head = new StringBuilder(128).append(method).append(' ').append(path)
                    .append(" HTTP/1.1\r\nHost: local-engine\r\nConnection: close\r\n");
            if (jsonBody != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return read(new BufferedInputStream(Channels.newInputStream(ch), 16 * 1024), sink);
        } catch (IOException e) {
            throw unavailable(timer != null && timer.isDone() ? "the local engine did not answer in time"
                    : "the local engine is not reachable or stopped mid-answer");
        } finally {
            if (timer != null) timer.cancel(false);
        }
    }

    private static Response read(InputStream in, ChunkSink sink) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("malformed status line");
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed status");
        }
        Map<String, String> headers = new HashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int c = l.indexOf(':');
            if (c <= 0 || headers.size() > 100) throw new IOException("malformed header");
            headers.put(l.substring(0, c).strip().toLowerCase(Locale.ROOT), l.substring(c + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            long total = 0;
            while (true) {
                String sizeLine = line(in);
                int semi = sizeLine.indexOf(';');
                int size;
                try {
                    size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("malformed chunk size");
                }
                if (size < 0 || (total += size) > MAX_BODY) throw new IOException("chunk too large");
                if (size == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers: none expected, skipped
                    }
                    break;
                }
                byte[] chunk = in.readNBytes(size);
                if (chunk.length != size) throw new IOException("ended inside a chunk");
                if (!line(in).isEmpty()) throw new IOException("malformed chunk end");
                if (sink != null) {
                    if (!sink.accept(chunk)) break;
                } else {
                    body.writeBytes(chunk);
                }
            }
        } else {
            String cl = headers.get("content-length");
            int len;
            try {
                len = cl == null ? 0 : Integer.parseInt(cl);
            } catch (NumberFormatException e) {
                throw new IOException("malformed Content-Length");
            }
            if (len < 0 || len > MAX_BODY) throw new IOException("body too large");
            byte[] b = in.readNBytes(len);
            if (b.length != len) throw new IOException("ended inside the body");
            body.writeBytes(b);
        }
        return new Response(code, Map.copyOf(headers), body.toByteArray());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        while (true) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed");
            if (c == '\n') break;
            if (c != '\r') b.write(c);
            if (b.size() > MAX_HEADER_LINE) throw new IOException("line too long");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing to interrupt a blocked read
        }
    }

    static ProblemException unavailable(String message) {
        return new ProblemException(ErrorCode.BACKEND_UNAVAILABLE, message);
    }
}
