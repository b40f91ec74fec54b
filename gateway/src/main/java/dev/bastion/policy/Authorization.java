package dev.bastion.policy;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Key;
import dev.bastion.pipeline.Operation;

import java.net.InetAddress;
import java.util.Map;

/**
 * What the pipeline's authorize stage needs from this package: the exchange slot for the decision (later stages read
 * its obligations; audit records its rule ids) and the translation from pipeline types to a {@link PolicyRequest}.
 */
public final class Authorization {
    /** The decision for this exchange; present (and allowed) once the authorize stage continued. */
    public static final Key<Decision> DECISION = Key.of("policy.decision", Decision.class);
    /** What the consent registry holds for the named subjects and the declared purpose (set before authorize). */
    public static final Key<ConsentFacts> CONSENT = Key.of("policy.consent", ConsentFacts.class);

    private Authorization() {}

    /** The policy action a model-API operation needs. */
    public static Action action(Operation operation) {
        return Action.parse(operation.action())
                .orElseThrow(() -> new IllegalStateException("operation without a policy action: " + operation));
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
        var ctx = exchange.context();
        return new RequestFacts(ctx.purpose(), ctx.subjects(), ctx.classification(), clientIp, exchange.receivedAt(),
                findings, exchange.get(CONSENT));
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
