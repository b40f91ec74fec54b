package dev.bastion.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/** The answer side of one request: a complete JSON body, or a server-sent-event stream. */
final class HttpExchange {
    private final OutputStream out;
    private boolean keepAlive;
    private boolean committed;

    HttpExchange(OutputStream out, boolean keepAlive) {
        this.out = out;
        this.keepAlive = keepAlive;
    }

    boolean keepAlive() { return keepAlive; }

    boolean committed() { return committed; }

    void sendJson(int status, byte[] body) throws IOException {
        committed = true;
        HttpResponses.send(out, status, "application/json", body, keepAlive, Map.of());
    }

    void sendProblem(HttpProblem p) throws IOException {
        sendProblem(p, Map.of());
    }

    void sendProblem(HttpProblem p, Map<String, String> headers) throws IOException {
        committed = true;
        sendProblem(out, p, keepAlive, headers);
    }

    static void sendProblem(OutputStream out, HttpProblem p, boolean keepAlive) throws IOException {
        sendProblem(out, p, keepAlive, Map.of());
    }

    static void sendProblem(OutputStream out, HttpProblem p, boolean keepAlive, Map<String, String> headers)
            throws IOException {
        HttpResponses.send(out, p.error().status(), "application/json", Json.error(p), keepAlive, headers);
    }

    /** Starts a 200 {@code text/event-stream}; each event is one chunk, flushed at once. */
    Sse startEventStream() throws IOException {
        committed = true;
        return new Sse(HttpResponses.startChunked(out, 200, "text/event-stream", keepAlive));
    }

    /** After a failure mid-stream the connection cannot be reused. */
    void abandon() { keepAlive = false; }

    static final class Sse {
        private static final byte[] DONE = "data: [DONE]\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        private final HttpResponses.Chunked chunked;

        Sse(HttpResponses.Chunked chunked) { this.chunked = chunked; }

        void data(byte[] json) throws IOException {
            data(json, true);
        }

        /** An event that is followed at once by more: written with them (see {@link #done()}), not flushed alone. */
        void dataThenMore(byte[] json) throws IOException {
            data(json, false);
        }

        private void data(byte[] json, boolean flush) throws IOException {
            byte[] event = new byte[json.length + 8];
            System.arraycopy("data: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, event, 0, 6);
            System.arraycopy(json, 0, event, 6, json.length);
            event[event.length - 2] = '\n';
            event[event.length - 1] = '\n';
            chunked.write(event, flush);
        }

        /** Writes {@code [DONE]} and ends the chunked body, flushing everything still buffered in one write. */
        void done() throws IOException {
            chunked.write(DONE, false);
            chunked.finish();
        }
    }
}
