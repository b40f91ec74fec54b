package dev.bastion.access;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Requests written byte for byte on a socket, for what an HTTP client library would normalise or refuse to send:
 * unnormalised paths ({@code /a/../b}, {@code //}, {@code %2e%2e}), repeated or folded headers, odd methods.
 */
final class Raw {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The answer: status, body and the stable error code in it ("" when the body has none). */
    record Answer(int status, String body) {
        String code() {
            try {
                return JSON.readTree(body).path("error").path("code").asText();
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }

    private Raw() {}

    /** One request; {@code headers} are complete lines without the final CRLF, e.g. "Authorization: Bearer x". */
    static Answer send(URI base, String method, String target, String body, String... headers) throws IOException {
        StringBuilder req = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                .append("Connection: close\r\n");
        for (String h : headers) req.append(h).append("\r\n");
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            req.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length).append("\r\n");
        }
        req.append("\r\n");
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().write(payload);
            s.getOutputStream().flush();
            return parse(readAll(s.getInputStream()));
        }
    }

    /** Reads one response, framed by Content-Length or chunked encoding (the server may keep the connection). */
    private static String readAll(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                buf.write(b);
                String text = buf.toString(StandardCharsets.UTF_8);
                int split = text.indexOf("\r\n\r\n");
                if (split < 0) continue;
                String head = text.substring(0, split).toLowerCase(java.util.Locale.ROOT);
                int body = buf.size() - (split + 4);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("content-length: *(\\d+)").matcher(head);
                if (m.find()) {
                    if (body >= Integer.parseInt(m.group(1))) break;
                } else if (head.contains("transfer-encoding: chunked")) {
                    if (text.endsWith("\r\n0\r\n\r\n") || text.endsWith("\r\n\r\n0\r\n\r\n")) break;
                } else if (head.startsWith("http/1.1 1") || head.contains(" 204 ") || head.contains(" 304 ")) {
                    break;
                }
            }
        } catch (java.net.SocketException e) {
            // reset by the server: report what arrived
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static Answer parse(String raw) {
        if (!raw.startsWith("HTTP/1.1 ")) return new Answer(0, raw);
        int status = Integer.parseInt(raw.substring(9, 12));
        int split = raw.indexOf("\r\n\r\n");
        String head = split < 0 ? raw : raw.substring(0, split);
        String body = split < 0 ? "" : raw.substring(split + 4);
        if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) body = unchunk(body);
        return new Answer(status, body);
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
