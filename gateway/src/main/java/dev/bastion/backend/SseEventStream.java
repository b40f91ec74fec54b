package dev.bastion.backend;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Parses an SSE body into event payloads: joins {@code data:} lines of one event, ignores comments and other
 * fields, stops at {@code [DONE]}. Bounded: an event larger than {@link #MAX_EVENT} bytes is a protocol error.
 */
final class SseEventStream implements EventStream {
    static final int MAX_EVENT = 4 * 1024 * 1024;
    private static final byte[] DONE = "[DONE]".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final UpstreamResponse response;
    private final InputStream in;
    private byte[] line = new byte[1024];
    private boolean ended;

    SseEventStream(UpstreamResponse response) {
        this.response = response;
        this.in = response.body();
    }

    @Override
    public byte[] next() throws IOException {
        if (ended) return null;
        byte[] data = null;
        while (true) {
            int len = readLine();
            if (len < 0) { // end of body
                ended = true;
                return data; // a last event without its blank line still counts
            }
            if (len == 0) {
                if (data == null) continue; // blank line with no data: nothing to dispatch
                if (Arrays.equals(data, DONE)) {
                    ended = true;
                    return null;
                }
                return data;
            }
            if (len >= 5 && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a' && line[4] == ':') {
                int start = len > 5 && line[5] == ' ' ? 6 : 5;
                byte[] piece = Arrays.copyOfRange(line, start, len);
                if (data == null) {
                    data = piece;
                } else { // multi-line data joins with \n
                    if ((long) data.length + piece.length + 1 > MAX_EVENT) throw new IOException("SSE event too large");
                    byte[] joined = Arrays.copyOf(data, data.length + 1 + piece.length);
                    joined[data.length] = '\n';
                    System.arraycopy(piece, 0, joined, data.length + 1, piece.length);
                    data = joined;
                }
            }
            // comments (":") and event:/id:/retry: lines are not part of the OpenAI protocol: ignored
        }
    }

    /** Reads one line into {@link #line}; returns its length without the terminator, or -1 at end of body. */
    private int readLine() throws IOException {
        int len = 0;
        while (true) {
            int b = in.read();
            if (b < 0) return len == 0 ? -1 : len;
            if (b == '\n') {
                if (len > 0 && line[len - 1] == '\r') len--;
                return len;
            }
            if (len == line.length) {
                if (len >= MAX_EVENT) throw new IOException("SSE line too large");
                line = Arrays.copyOf(line, Math.min(len * 2, MAX_EVENT + 1));
            }
            line[len++] = (byte) b;
        }
    }

    @Override
    public boolean ready() {
        try {
            return !ended && in.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void abort() {
        ended = true;
        response.abort();
    }

    @Override
    public void close() {
        response.close();
    }
}
