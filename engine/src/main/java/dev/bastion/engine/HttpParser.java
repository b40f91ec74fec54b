package dev.bastion.engine;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.1 requests with hard bounds: header block size, header count, body size. Anything malformed or
 * oversized is an {@link HttpProblem} (answered with a 4xx), never an unchecked exception.
 */
final class HttpParser {
    private final int maxHeaderBytes;
    private final int maxHeaders;
    private final int maxBodyBytes;

    HttpParser(int maxHeaderBytes, int maxHeaders, int maxBodyBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxHeaders = maxHeaders;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * @return the next request, or null when the peer closed the connection between requests
     * @throws IOException when the connection fails or ends inside a request
     */
    HttpRequest read(InputStream in) throws IOException, HttpProblem {
        byte[] head = readHead(in);
        if (head == null) return null;
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n", -1);
        // lines ends with two empty strings: the blank line and what follows the final CRLF
        String[] start = lines[0].split(" ", -1);
        if (start.length != 3) throw EngineError.BAD_REQUEST.problem("malformed request line");
        String method = start[0];
        String target = start[1];
        String version = start[2];
        if (method.isEmpty() || method.length() > 16 || !method.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw EngineError.BAD_REQUEST.problem("malformed method");
        }
        if (!target.startsWith("/") || target.length() > 2048 || !target.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw EngineError.BAD_REQUEST.problem("malformed request target");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw EngineError.BAD_REQUEST.problem("unsupported HTTP version");
        }
        Map<String, String> headers = new HashMap<>();
        int count = 0;
        for (int i = 1; i < lines.length - 2; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) throw EngineError.BAD_REQUEST.problem("malformed header line");
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            if (!name.chars().allMatch(HttpParser::isTokenChar)) throw EngineError.BAD_REQUEST.problem("malformed header name");
            String value = line.substring(colon + 1).strip();
            if (!value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7f))) {
                throw EngineError.BAD_REQUEST.problem("malformed header value");
            }
            if (++count > maxHeaders) throw EngineError.HEADERS_TOO_LARGE.problem("too many headers");
            if (name.equals("content-length") && headers.containsKey(name)) {
                throw EngineError.BAD_REQUEST.problem("repeated Content-Length");
            }
            headers.put(name, value);
        }
        if (version.equals("HTTP/1.0") && !headers.containsKey("connection")) headers.put("connection", "close");
        if (headers.containsKey("transfer-encoding")) {
            throw EngineError.NOT_IMPLEMENTED.problem("request bodies must use Content-Length");
        }
        int length = 0;
        String cl = headers.get("content-length");
        if (cl != null) {
            if (cl.isEmpty() || cl.length() > 12 || !cl.chars().allMatch(Character::isDigit)) {
                throw EngineError.BAD_REQUEST.problem("malformed Content-Length");
            }
            long n = Long.parseLong(cl);
            if (n > maxBodyBytes) throw EngineError.BODY_TOO_LARGE.problem("body larger than " + maxBodyBytes + " bytes");
            length = (int) n;
        } else if (method.equals("POST") || method.equals("PUT")) {
            throw EngineError.LENGTH_REQUIRED.problem("Content-Length required");
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length) throw new EOFException("connection ended inside the body");
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        return new HttpRequest(method, path, Map.copyOf(headers), body);
    }

    /** Bytes up to and including the blank line; null on EOF before the first byte. */
    private byte[] readHead(InputStream in) throws IOException, HttpProblem {
        byte[] buf = new byte[Math.min(maxHeaderBytes, 1024)];
        int n = 0;
        int blankLines = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (n == 0) return null;
                throw new EOFException("connection ended inside the headers");
            }
            if (n == maxHeaderBytes) throw EngineError.HEADERS_TOO_LARGE.problem("header block too large");
            if (n == buf.length) buf = java.util.Arrays.copyOf(buf, Math.min(maxHeaderBytes, buf.length * 2));
            buf[n++] = (byte) b;
            if (b == '\n') {
                if (n < 2 || buf[n - 2] != '\r') throw EngineError.BAD_REQUEST.problem("lines must end with CRLF");
                if (n >= 4 && buf[n - 3] == '\n' && buf[n - 4] == '\r') return java.util.Arrays.copyOf(buf, n);
                if (n == 2) { // RFC 9112: a server should ignore at least one empty line before a request
                    if (++blankLines > 4) throw EngineError.BAD_REQUEST.problem("empty request line");
                    n = 0;
                }
            }
        }
    }

    private static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0
                || (c >= 'A' && c <= 'Z');
    }
}
