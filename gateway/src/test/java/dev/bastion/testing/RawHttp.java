package dev.bastion.testing;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests written byte for byte on a socket, for what an HTTP client library would normalise or refuse to send
 * (unnormalised paths, repeated or folded headers, odd methods, broken framing), and the one answer read back.
 */
public final class RawHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LENGTH = Pattern.compile("content-length: *(\\d+)");

    private RawHttp() {}

    /**
     * The answer: status (0 when none came), head, body, and how long it took. {@code closed} says the server closed
     * the connection after the answer (or instead of one).
     */
    public record Answer(int status, String head, String body, Duration elapsed, boolean closed) {
        /** The stable error code in the body ("" when the body has none). */
        public String code() {
            try {
                return JSON.readTree(body).path("error").path("code").asText();
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }

    /** Sends {@code request} (ISO-8859-1 bytes) and reads one answer, waiting at most {@code timeout} in all. */
    public static Answer exchange(URI base, String request, Duration timeout) throws IOException {
        return exchange(base, request.getBytes(StandardCharsets.ISO_8859_1), timeout);
    }

    public static Answer exchange(URI base, byte[] request, Duration timeout) throws IOException {
        long start = System.nanoTime();
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            try {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
            } catch (IOException e) {
                // the server may answer and close while a large request is still being written: read what it said
            }
            Read r = readOne(s.getInputStream());
            return parse(r.text(), Duration.ofNanos(System.nanoTime() - start), r.closed());
        }
    }

    private record Read(String text, boolean closed) {}

    /** Reads one response, framed by Content-Length or chunked encoding (the server may keep the connection). */
    private static Read readOne(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                buf.write(b);
                String text = buf.toString(StandardCharsets.UTF_8);
                int split = text.indexOf("\r\n\r\n");
                if (split < 0) continue;
                String head = text.substring(0, split).toLowerCase(Locale.ROOT);
                int body = buf.size() - (split + 4);
                Matcher m = LENGTH.matcher(head);
                if (m.find()) {
                    if (body >= Integer.parseInt(m.group(1))) return new Read(text, head.contains("connection: close"));
                } else if (head.contains("transfer-encoding: chunked")) {
                    if (text.endsWith("\r\n0\r\n\r\n")) return new Read(text, false);
                } else if (head.startsWith("http/1.1 1") || head.contains(" 204 ") || head.contains(" 304 ")) {
                    return new Read(text, false);
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return new Read(buf.toString(StandardCharsets.UTF_8), false);
        } catch (java.net.SocketException e) {
            // reset by the server: report what arrived
        }
        return new Read(buf.toString(StandardCharsets.UTF_8), true);
    }

    private static Answer parse(String raw, Duration elapsed, boolean closed) {
        if (!raw.startsWith("HTTP/1.1 ")) return new Answer(0, "", raw, elapsed, closed);
        int status = Integer.parseInt(raw.substring(9, 12));
        int split = raw.indexOf("\r\n\r\n");
        String head = split < 0 ? raw : raw.substring(0, split);
        String body = split < 0 ? "" : raw.substring(split + 4);
        if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) body = unchunk(body);
        return new Answer(status, head, body, elapsed, closed);
    }

    private static String unchunk(String body) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            int eol = body.indexOf("\r\n", i);
            if (eol < 0) break;
            int size = Integer.parseInt(body.substring(i, eol).split(";")[0].trim(), 16);
            if (size == 0) break;
            out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
