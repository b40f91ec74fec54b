package dev.bastion.access;

import dev.bastion.testing.RawHttp;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Admin-route requests written byte for byte ({@link RawHttp}), with the caller's headers and a JSON body. */
final class Raw {
    /** The answer: status, body and the stable error code in it ("" when the body has none). */
    record Answer(int status, String body) {
        String code() { return new RawHttp.Answer(status, "", body, Duration.ZERO, false).code(); }
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
        byte[] head = req.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(head, head.length + payload.length);
        System.arraycopy(payload, 0, all, head.length, payload.length);
        RawHttp.Answer a = RawHttp.exchange(base, all, Duration.ofSeconds(10));
        return new Answer(a.status(), a.body());
    }
}
