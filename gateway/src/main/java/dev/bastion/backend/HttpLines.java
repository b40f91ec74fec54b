package dev.bastion.backend;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads CRLF- (or LF-) terminated ASCII lines of bounded length from a buffered stream. */
final class HttpLines {
    private HttpLines() {}

    static String readLine(InputStream in, int maxLength) throws IOException {
        byte[] buf = new byte[Math.min(maxLength + 2, 256)];
        int len = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (len == 0) throw new EOFException("connection closed by backend");
                throw new EOFException("connection closed by backend mid-line");
            }
            if (b == '\n') {
                if (len > 0 && buf[len - 1] == '\r') len--;
                return new String(buf, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (len >= maxLength + 1) throw new IOException("line from backend is too long");
            if (len == buf.length) buf = java.util.Arrays.copyOf(buf, Math.min(buf.length * 2, maxLength + 2));
            buf[len++] = (byte) b;
        }
    }
}
