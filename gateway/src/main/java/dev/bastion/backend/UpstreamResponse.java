package dev.bastion.backend;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A backend's answer: status, the few headers Bastion uses, and the body stream. Closing it returns the connection
 * to the pool when the body was read to its end, and otherwise closes the socket — which is also how a client
 * that went away cancels the backend's work.
 */
final class UpstreamResponse implements AutoCloseable {
    private final int status;
    private final Map<String, String> headers;
    private final BodyStreams.Body body;
    private final UpstreamConnection connection;
    private final boolean keepAlive;
    private final HttpUpstream owner;
    private boolean released;

    UpstreamResponse(int status, Map<String, String> headers, BodyStreams.Body body, UpstreamConnection connection,
                     boolean keepAlive, HttpUpstream owner) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.connection = connection;
        this.keepAlive = keepAlive;
        this.owner = owner;
    }

    /** The response headers Bastion reads; the others are not kept (no map entry, no lower-cased copy per line). */
    private static final String[] USED_HEADERS =
            {"content-type", "content-length", "transfer-encoding", "connection", "retry-after"};

    /** The lower-case name of the header {@code line} starts with (name ends at {@code colon}) if it is used, else null. */
    static String usedHeader(String line, int colon) {
        int end = colon;
        while (end > 0 && line.charAt(end - 1) == ' ') end--; // tolerate "Name :" as before
        for (String name : USED_HEADERS) {
            if (end == name.length() && line.regionMatches(true, 0, name, 0, end)) return name;
        }
        return null;
    }

    int status() { return status; }

    /** Lower-case header name → last value; only names listed in {@link #USED_HEADERS}. */
    String header(String lowerCaseName) { return headers.get(lowerCaseName); }

    InputStream body() { return body; }

    /** Reads the whole body, refusing more than {@code max} bytes. */
    byte[] readAll(int max) throws IOException {
        byte[] buf = new byte[8192];
        int len = 0;
        while (true) {
            if (len == buf.length) {
                if (buf.length >= max) throw new IOException("backend answer exceeds " + max + " bytes");
                buf = java.util.Arrays.copyOf(buf, Math.min(buf.length * 2, max));
            }
            int n = body.read(buf, len, buf.length - len);
            if (n < 0) return java.util.Arrays.copyOf(buf, len);
            len += n;
        }
    }

    /** Drops the connection whatever state the body is in (cancellation, errors). */
    void abort() {
        if (released) return;
        released = true;
        connection.close();
        owner.release(null);
    }

    /**
     * Releases the connection. When the caller stopped at a logical end (an SSE {@code [DONE]}) the framing end
     * usually follows within microseconds: read it briefly so the connection can be pooled.
     */
    @Override
    public void close() {
        if (released) return;
        released = true;
        if (keepAlive && !body.finished()) finishBody();
        owner.release(keepAlive && body.finished() ? connection : closeAndNull());
    }

    private void finishBody() {
        try {
            connection.readTimeout(200);
            byte[] sink = new byte[1024];
            int total = 0;
            while (total < 64 * 1024) {
                int n = body.read(sink);
                if (n < 0) return;
                total += n;
            }
        } catch (IOException e) {
            // not worth keeping: the connection is closed below
        }
    }

    private UpstreamConnection closeAndNull() {
        connection.close();
        return null;
    }
}
