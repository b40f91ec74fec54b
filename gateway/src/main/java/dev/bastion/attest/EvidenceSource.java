package dev.bastion.attest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Fetches a backend's evidence document for a nonce. The default goes over HTTPS with the JDK client; whichever
 * connection it uses does not matter for trust (the document is verified, and bound to the TLS key of the
 * connection requests go over), so a deployment's egress gate can supply its own.
 */
@FunctionalInterface
public interface EvidenceSource {

    byte[] fetch(URI evidenceUrl, byte[] nonce) throws IOException;

    /** {@code GET <url>?nonce=<hex>} (or {@code &nonce=}), bounded size, no redirects, answer 200 only. */
    static EvidenceSource http(HttpClient client, Duration timeout) {
        return (url, nonce) -> {
            String sep = url.getRawQuery() == null ? "?" : "&";
            URI u = URI.create(url + sep + "nonce=" + HexFormat.of().formatHex(nonce));
            HttpRequest req = HttpRequest.newBuilder(u).timeout(timeout).header("Accept", "application/json").GET().build();
            try {
                HttpResponse<InputStream> r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = r.body()) {
                    if (r.statusCode() != 200) throw new IOException("evidence endpoint answered " + r.statusCode());
                    byte[] body = in.readNBytes(EvidenceDocument.MAX_BYTES + 1);
                    if (body.length > EvidenceDocument.MAX_BYTES) throw new IOException("evidence too large");
                    return body;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        };
    }
}
