package dev.bastion.attest;

import dev.bastion.egress.EgressHttp;
import dev.bastion.egress.TlsLayer;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Fetches a backend's evidence document for a nonce. Which connection it uses does not matter for trust (the
 * document is verified, and bound to the TLS key of the connection requests go over); it goes through the egress
 * gate like every other outbound connection.
 */
@FunctionalInterface
public interface EvidenceSource {

    byte[] fetch(URI evidenceUrl, byte[] nonce) throws IOException;

    /**
     * {@code GET <url>?nonce=<hex>} (or {@code &nonce=}) through the gate as {@code purpose} (the backend's evidence
     * destination must be declared), bounded size, redirects not followed, answer 200 only.
     *
     * @param tls the backend's upstream TLS ({@code upstreamTls::wrap}), or null for the JDK trust store
     */
    static EvidenceSource through(EgressHttp http, String purpose, TlsLayer tls, Duration timeout) {
        return (url, nonce) -> {
            String sep = url.getRawQuery() == null ? "?" : "&";
            URI u = URI.create(url + sep + "nonce=" + HexFormat.of().formatHex(nonce));
            EgressHttp.Request req = new EgressHttp.Request(purpose, "GET", u,
                    java.util.Map.of("Accept", "application/json"), null, timeout, tls);
            EgressHttp.Response r = http.send(req, EvidenceDocument.MAX_BYTES);
            if (r.status() != 200) throw new IOException("evidence endpoint answered " + r.status());
            return r.body();
        };
    }
}
