package dev.bastion.api;

import dev.bastion.pipeline.Exchange;
import io.helidon.webserver.http.ServerRequest;

import java.time.Clock;
import java.time.Duration;

/** Every route that runs a pipeline makes its {@link Exchange} here: the same request id, peer, headers and body. */
final class HttpExchanges {
    private HttpExchanges() {}

    static Exchange of(ServerRequest req, String action, Clock clock, Duration bodyDeadline) {
        return new Exchange(RequestIds.next(), clock.instant(), System.nanoTime(), peer(req),
                new HelidonHeaders(req.headers()), req.remotePeer().tlsCertificates().orElse(null), action,
                new BoundedBody(req, bodyDeadline));
    }

    /**
     * The peer's address literal, read from the socket address: the host string may be a name over TLS (the JDK
     * looks the address up for the handshake), which policy conditions and audit records must not see.
     */
    static String peer(ServerRequest req) {
        return req.remotePeer().address() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : req.remotePeer().host();
    }
}
