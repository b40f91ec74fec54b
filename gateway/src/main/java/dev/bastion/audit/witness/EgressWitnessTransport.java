package dev.bastion.audit.witness;

import dev.bastion.egress.EgressHttp;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * {@link WitnessTransport} through Bastion's egress gate: each witness's URL is a declared destination (purpose
 * {@value #PURPOSE}), redirects are never followed and at most 64 KiB are read back.
 */
public final class EgressWitnessTransport implements WitnessTransport {
    public static final String PURPOSE = "audit:witness";
    private static final int MAX_REPLY = 64 * 1024;
    private final EgressHttp http;

    public EgressWitnessTransport(EgressHttp http) {
        this.http = http;
    }

    @Override
    public Reply post(URI url, String contentType, byte[] body, Duration timeout) throws IOException {
        EgressHttp.Response r = http.send(new EgressHttp.Request(PURPOSE, "POST", url,
                Map.of("Content-Type", contentType), body, timeout, null), MAX_REPLY);
        return new Reply(r.status(), Objects.requireNonNullElse(r.header("content-type"), ""), r.body());
    }
}
