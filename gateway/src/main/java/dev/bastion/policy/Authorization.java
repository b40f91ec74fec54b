package dev.bastion.policy;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.RequestContext;

import java.net.InetAddress;
import java.util.Map;

/**
 * What the pipeline's authorize stage needs from this package: the policy action of a route and the translation from
 * pipeline types to a {@link PolicyRequest}. The decision itself is the exchange's {@link Decision} fact.
 */
public final class Authorization {
    private Authorization() {}

    /** The policy action a model-API operation needs. */
    public static Action action(Operation operation) { return action(operation.action()); }

    /** The policy action a route names; a route naming no known action is a programming error. */
    public static Action action(String wire) {
        return Action.parse(wire).orElseThrow(() -> new IllegalStateException("route names no known action: " + wire));
    }

    /**
     * The request facts of an exchange: declared purpose, subjects and classification from the {@code X-Bastion-*}
     * headers, the client address, the arrival time, and finding counts by entity type from inspection (pass an
     * empty map when inspection has not run).
     *
     * @param clientIp the caller's address literal without port (the exchange's peer, or a trusted proxy's
     *                 forwarded address), or "" when unknown
     */
    public static RequestFacts facts(Exchange exchange, String clientIp, Map<String, Integer> findings) {
        RequestContext ctx = exchange.get(RequestContext.class);
        if (ctx == null) ctx = RequestContext.EMPTY;
        return new RequestFacts(ctx.purpose(), ctx.subjects(), ctx.classification(), clientIp, exchange.receivedAt(),
                findings, exchange.get(ConsentFacts.class));
    }

    /** Finding counts as policy takes them: non-negative ints by entity type; empty for null. */
    public static Map<String, Integer> counts(Map<String, ? extends Number> raw) {
        if (raw == null || raw.isEmpty()) return Map.of();
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        raw.forEach((type, n) -> out.put(type, (int) Math.min(Integer.MAX_VALUE, Math.max(0, n.longValue()))));
        return out;
    }

    /** The address as a literal without port or scope, or "" when it is not one (never a DNS lookup). */
    public static String ipLiteral(String address) {
        if (address == null || address.isEmpty()) return "";
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        int scope = a.indexOf('%');
        if (scope >= 0) a = a.substring(0, scope);
        try {
            return InetAddress.ofLiteral(a).getHostAddress();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
