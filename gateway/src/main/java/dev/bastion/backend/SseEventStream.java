package dev.bastion.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses an SSE body into event payloads: joins {@code data:} lines of one event, ignores comments and other
 * fields, stops at {@code [DONE]}. Reads the body in bulk into its own buffer and scans it for line ends (several
 * events usually arrive in one read). Bounded: an event larger than {@link #MAX_EVENT} bytes is a protocol error.
 */
final class SseEventStream implements EventStream {
    static final int MAX_EVENT = 4 * 1024 * 1024;
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private final UpstreamResponse response;
    private final InputStream in;
    private byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;
    private boolean eof;
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
            int lineEnd = findLineEnd();
            if (lineEnd < 0) {
                if (eof) { // end of body: a last event without its blank line still counts
                    ended = true;
                    return data;
                }
                fill();
                continue;
            }
            int start = pos;
            int end = lineEnd > start && buf[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            pos = lineEnd + 1;
            int len = end - start;
            if (len == 0) {
                if (data == null) continue; // blank line with no data: nothing to dispatch
                if (Arrays.equals(data, DONE)) {
                    ended = true;
                    return null;
                }
                return data;
            }
            if (len >= 5 && buf[start] == 'd' && buf[start + 1] == 'a' && buf[start + 2] == 't'
                    && buf[start + 3] == 'a' && buf[start + 4] == ':') {
                int from = start + (len > 5 && buf[start + 5] == ' ' ? 6 : 5);
                data = data == null ? Arrays.copyOfRange(buf, from, end) : join(data, from, end);
            }
            // comments (":") and event:/id:/retry: lines are not part of the OpenAI protocol: ignored
        }
    }

    private int findLineEnd() {
        for (int i = pos; i < limit; i++) {
            if (buf[i] == '\n') return i;
        }
        return -1;
    }

    /** Reads more of the body, compacting or growing the buffer as needed. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            if (buf.length >= MAX_EVENT) throw new IOException("SSE line too large");
            buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_EVENT));
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) eof = true;
        else limit += n;
    }

    private byte[] join(byte[] data, int from, int end) throws IOException {
        // multi-line data joins with \n
        int piece = end - from;
        if ((long) data.length + piece + 1 > MAX_EVENT) throw new IOException("SSE event too large");
        byte[] joined = Arrays.copyOf(data, data.length + 1 + piece);
        joined[data.length] = '\n';
        System.arraycopy(buf, from, joined, data.length + 1, piece);
        return joined;
    }

    @Override
    public boolean ready() {
        if (ended) return false;
        if (findLineEnd() >= 0) return true;
        try {
            return in.available() > 0;
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
