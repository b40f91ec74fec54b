package dev.bastion.api;

import dev.bastion.pipeline.Exchange;
import io.helidon.webserver.http.ServerRequest;

import java.time.Clock;
import java.time.Duration;

/** Every route that runs a pipeline makes its {@link Exchange} here: the same request id, peer, headers and body. */
final class HttpExchanges {
    private HttpExchanges() {}

    static Exchange of(ServerRequest req, String action, Clock clock, Duration bodyDeadline) {
        return new Exchange(RequestIds.next(), clock.instant(), System.nanoTime(), req.remotePeer().host(),
                new HelidonHeaders(req.headers()), req.remotePeer().tlsCertificates().orElse(null), action,
                new BoundedBody(req, bodyDeadline));
    }
}
