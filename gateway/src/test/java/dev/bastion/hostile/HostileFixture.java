package dev.bastion.hostile;

import dev.bastion.testing.ManualClock;
import dev.bastion.testing.RawHttp;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * One real Bastion (SQLite, shipped policy, the stand-in backend) with a key per role, a revoked, an expired and a
 * scoped key, on a clock moved by hand (so the operator doors' rate limit refills between cases). Requests are
 * written byte for byte ({@link RawHttp}), so nothing is normalised on the way.
 */
final class HostileFixture implements AutoCloseable {
    static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String JSON = "Content-Type: application/json";

    final StandInUpstream upstream = new StandInUpstream();
    final ManualClock clock = new ManualClock(Instant.now());
    final TestGateway gw;
    final String admin;
    final String developer;
    final String auditor;
    final String scoped;
    final String revoked;
    final String expired;

    HostileFixture() throws Exception {
        gw = TestGateway.start(upstream, "", clock);
        admin = gw.adminKey;
        developer = gw.developerKey();
        auditor = gw.auditorKey();
        scoped = gw.createKey("{\"name\":\"scoped\",\"models\":[\"same\"]}");
        revoked = gw.createKey("{\"name\":\"revoked\"}");
        if (gw.send("DELETE", "/bastion/v1/keys/" + revoked.split("_")[1], admin, null).statusCode() != 200) {
            throw new IllegalStateException("revocation failed");
        }
        expired = gw.createKey("{\"name\":\"short\",\"expires_in_days\":1}");
        clock.advance(Duration.ofDays(2));
        // a few entries so the audit read API has tiles and proofs to refuse around
        for (int i = 0; i < 3; i++) gw.chat(developer, CHAT);
    }

    /** Raw request text as sent. */
    RawHttp.Answer raw(String request) throws Exception {
        return RawHttp.exchange(gw.base(), request.getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(15));
    }

    /**
     * A well-formed request: Host and Connection: close added, {@code key} as bearer (null: none), {@code headers}
     * as complete lines, {@code body} with its Content-Length (null: none).
     */
    RawHttp.Answer send(String method, String target, String key, String body, String... headers) throws Exception {
        StringBuilder r = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n")
                .append("Connection: close\r\n");
        if (key != null) r.append("Authorization: Bearer ").append(key).append("\r\n");
        for (String h : headers) r.append(h).append("\r\n");
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) r.append("Content-Length: ").append(payload.length).append("\r\n");
        r.append("\r\n");
        byte[] head = r.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(head, head.length + payload.length);
        System.arraycopy(payload, 0, all, head.length, payload.length);
        return RawHttp.exchange(gw.base(), all, Duration.ofSeconds(15));
    }

    /** A JSON POST by {@code key}. */
    RawHttp.Answer post(String target, String key, String body) throws Exception {
        return send("POST", target, key, body, JSON);
    }

    @Override
    public void close() {
        gw.close();
        upstream.close();
    }
}
