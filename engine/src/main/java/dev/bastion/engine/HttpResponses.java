package dev.bastion.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes HTTP/1.1 responses: complete bodies with Content-Length, streams with chunked encoding. */
final class HttpResponses {
    private HttpResponses() {}

    static void send(OutputStream out, int status, String contentType, byte[] body, boolean keepAlive,
                     Map<String, String> extra) throws IOException {
        StringBuilder h = head(status, keepAlive, extra);
        h.append("Content-Type: ").append(contentType).append("\r\n");
        h.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** Starts a chunked answer; the returned stream frames each write as one chunk. */
    static Chunked startChunked(OutputStream out, int status, String contentType, boolean keepAlive)
            throws IOException {
        StringBuilder h = head(status, keepAlive, Map.of("Cache-Control", "no-cache"));
        h.append("Content-Type: ").append(contentType).append("\r\n");
        h.append("Transfer-Encoding: chunked\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return new Chunked(out);
    }

    private static StringBuilder head(int status, boolean keepAlive, Map<String, String> extra) {
        StringBuilder h = new StringBuilder(160);
        h.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        h.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n");
        for (var e : extra.entrySet()) h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
        return h;
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }

    /** Chunked transfer coding over the connection's stream. */
    static final class Chunked {
        private final OutputStream out;

        Chunked(OutputStream out) { this.out = out; }

        void write(byte[] data) throws IOException {
            write(data, true);
        }

        /** @param flush false when more is written at once (the reader is woken once, not per chunk) */
        void write(byte[] data, boolean flush) throws IOException {
            if (data.length == 0) return;
            out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(data);
            out.write('\r');
            out.write('\n');
            if (flush) out.flush();
        }

        void finish() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }
}
