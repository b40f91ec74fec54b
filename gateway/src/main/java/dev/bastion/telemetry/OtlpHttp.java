package dev.bastion.telemetry;

import dev.bastion.egress.Destination;
import dev.bastion.egress.EgressGate;
import dev.bastion.egress.EgressHttp;
import dev.bastion.egress.TlsLayer;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * POSTs OTLP/HTTP protobuf bodies to the collector, through the egress gate (the collector is a declared
 * destination, purpose {@code telemetry:otlp}). One connection per export: exports are seconds apart.
 */
final class OtlpHttp {
    static final String PURPOSE = "telemetry:otlp";
    private static final int MAX_ANSWER = 64 * 1024;

    private final EgressHttp http;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final TlsLayer tls;

    OtlpHttp(EgressGate gate, URI endpoint, Map<String, String> headers, Duration timeout, TlsLayer tls) {
        gate.declare(Destination.of(PURPOSE, endpoint));
        this.http = new EgressHttp(gate);
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Content-Type", "application/x-protobuf");
        this.headers = Map.copyOf(h);
        this.timeout = timeout;
        this.tls = tls;
    }

    /** Sends one export; true when the collector took it (2xx). */
    boolean post(URI url, byte[] body) throws IOException {
        EgressHttp.Response r = http.send(new EgressHttp.Request(PURPOSE, "POST", url, headers, body, timeout, tls),
                MAX_ANSWER);
        return r.status() / 100 == 2;
    }
}
