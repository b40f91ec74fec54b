package dev.bastion.backend;

import dev.bastion.common.DeadlineSweeper;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;

/**
 * The buffered input side of an upstream connection. Unsynchronised (a connection is used by one virtual thread at
 * a time) and able to read CRLF lines straight out of its buffer, which is how response heads and chunk sizes are
 * parsed without a lock and a call per byte.
 *
 * <p>Read timeouts are not socket timeouts: a timed socket read parks the virtual thread with a timer, which costs
 * context switches on every read. Instead each blocking read is armed on one shared {@link DeadlineSweeper}, which
 * runs {@code onTimeout} (closing the socket) if the read is still waiting at its deadline; the read then fails with
 * a {@link SocketTimeoutException}.
 */
final class UpstreamInput extends InputStream {
    private static final DeadlineSweeper<UpstreamInput> READS =
            new DeadlineSweeper<>("bastion-upstream-reads", Duration.ofMillis(50), UpstreamInput::expire);
    private final InputStream in;
    private final Runnable onTimeout;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;
    private long timeoutNanos;
    private volatile boolean expired;

    /** @param onTimeout unblocks a read that is past its deadline (closes the connection) */
    UpstreamInput(InputStream in, Runnable onTimeout) {
        this.in = in;
        this.onTimeout = onTimeout;
    }

    /** The longest one read may wait for data from now on; 0 waits for ever. */
    void timeout(int millis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private void expire() {
        expired = true;
        onTimeout.run();
    }

    private int readUnderlying(byte[] b, int off, int len) throws IOException {
        if (timeoutNanos == 0) return in.read(b, off, len);
        if (expired) throw new SocketTimeoutException("read timed out");
        READS.arm(this, timeoutNanos);
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            if (expired) throw new SocketTimeoutException("read timed out");
            throw e;
        } finally {
            READS.disarm(this);
        }
        if (n < 0 && expired) throw new SocketTimeoutException("read timed out");
        return n;
    }

    private boolean fill() throws IOException {
        if (pos < limit) return true;
        int n = readUnderlying(buf, 0, buf.length);
        if (n <= 0) return false;
        pos = 0;
        limit = n;
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? buf[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos >= limit) {
            if (len >= buf.length) return readUnderlying(b, off, len); // large reads bypass the buffer
            if (!fill()) return -1;
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return limit - pos > 0 ? limit - pos : in.available();
    }

    /** One line without its CR LF (or LF), as ISO-8859-1; at most {@code maxLength} characters. */
    String readLine(int maxLength) throws IOException {
        StringBuilder spill = null;
        while (true) {
            if (!fill()) throw new EOFException("connection closed by backend");
            int start = pos;
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    int end = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                    pos = i + 1;
                    String tail = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
                    if (spill == null) return check(tail, maxLength);
                    spill.append(tail);
                    if (spill.length() > 0 && spill.charAt(spill.length() - 1) == '\r') spill.setLength(spill.length() - 1);
                    return check(spill.toString(), maxLength);
                }
            }
            // the line continues past the buffer
            if (spill == null) spill = new StringBuilder();
            spill.append(new String(buf, start, limit - start, StandardCharsets.ISO_8859_1));
            pos = limit;
            if (spill.length() > maxLength + 1) throw new IOException("line from backend is too long");
        }
    }

    private static String check(String line, int maxLength) throws IOException {
        if (line.length() > maxLength) throw new IOException("line from backend is too long");
        return line;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
