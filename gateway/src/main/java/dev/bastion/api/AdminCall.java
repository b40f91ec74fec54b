package dev.bastion.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.audit.AdminOutcome;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.Exchange;
import dev.bastion.policy.Authorization;
import dev.bastion.policy.RequestFacts;
import io.helidon.webserver.http.ServerRequest;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An admin handler's view of its request: who asks (already authenticated and authorized), path and query
 * parameters, the body (read on demand, bounded, strict JSON), and a way to tell the audit record how the action
 * ended. The {@link Exchange} underneath carries every fact the chain's stages left.
 */
public final class AdminCall {
    /** The Helidon request behind an admin exchange; only this package reads it. */
    record Http(ServerRequest request) {}

    private final Exchange exchange;
    private final ServerRequest request;
    private final JsonBodies json;

    AdminCall(Exchange exchange, JsonBodies json) {
        this.exchange = exchange;
        this.request = exchange.require(Http.class).request();
        this.json = json;
    }

    public Exchange exchange() { return exchange; }

    /** The authenticated caller; null only on routes without credentials. */
    public Principal principal() { return exchange.get(Principal.class); }

    public String requestId() { return exchange.requestId(); }

    public String path() { return request.path().path(); }

    /** A {@code {name}} segment of the route's path. */
    public String pathParam(String name) { return request.path().pathParameters().get(name); }

    public Optional<String> query(String name) { return request.query().first(name).asOptional(); }

    /**
     * The body as a JSON object, read once, at most {@code maxBytes}, within the body deadline; sent as
     * {@code application/json} (else 415 before anything is read).
     */
    public ObjectNode body(long maxBytes) {
        JsonContentType.require(exchange.headers().all("Content-Type"));
        return json.parseObject(exchange.readBody(maxBytes));
    }

    /** As {@link #body(long)}, refusing any field not in {@code fields} (admin bodies are strict). */
    public ObjectNode body(long maxBytes, Set<String> fields) {
        ObjectNode body = body(maxBytes);
        JsonBodies.onlyFields(body, fields);
        return body;
    }

    /** What a policy decision the handler makes itself needs: the declared context, the caller's address, now. */
    public RequestFacts policyFacts() {
        return Authorization.facts(exchange, Authorization.ipLiteral(exchange.clientAddress()), Map.of());
    }

    /** Whether the peer connects from this machine (never a DNS lookup). */
    public boolean fromLoopback() { return isLoopback(request); }

    /**
     * Whether {@code req} comes from a loopback address, read from the socket's address: its host string may be a
     * name (over TLS the JDK may have looked the address up), which would never match a literal.
     */
    static boolean isLoopback(ServerRequest req) {
        return req.remotePeer().address() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                && a.getAddress().isLoopbackAddress();
    }

    /** How the audited action ended, when the status alone does not say it (see {@link AdminOutcome}). */
    public void outcome(AdminOutcome outcome) { exchange.put(AdminOutcome.class, outcome); }
}
