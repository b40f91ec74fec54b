package dev.bastion.audit;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.RequestContext;

import java.util.Map;

/**
 * What other stages learned about an exchange, as the audit stages need it. The server implements this over the
 * exchange keys the identity, policy, inspection and routing packages declare, so this package depends on none of
 * them. Every method may be called for any exchange and must not throw.
 */
public interface AuditFacts {

    /** The authenticated caller, or null when authentication did not succeed. */
    Actor principal(Exchange exchange);

    /** The policy decision, or null when policy did not run. */
    default PolicyDecision decision(Exchange exchange) { return null; }

    /** Input-inspection finding counts by type (never values). */
    default Map<String, ? extends Number> inputFindings(Exchange exchange) { return Map.of(); }

    /** Output-inspection finding counts by type, known once the answer has ended. */
    default Map<String, ? extends Number> outputFindings(Exchange exchange) { return Map.of(); }

    /** The backend that produced the answer, or null when none did. */
    default String servedBackend(Exchange exchange) { return null; }

    /** How many planned backends failed before the one that answered (before the client saw a byte). */
    default int fallbacks(Exchange exchange) { return 0; }

    /**
     * The routed model (alias, upstream model, backend, artifact digest); null on routes that name no model (admin
     * routes). A value the caller controls enters the log only after validation against what exists: a model name
     * that names no model is {@link ModelRoute#UNKNOWN}. This default knows no catalogue, so it records the marker.
     */
    default ModelRoute route(Exchange exchange) {
        return exchange.get(ModelRequest.class) == null ? null : ModelRoute.UNKNOWN;
    }

    /** The declared purpose as the log may hold it (implementations check it against the policy's registry). */
    default String purpose(Exchange exchange) {
        RequestContext ctx = exchange.get(RequestContext.class);
        return ctx == null ? null : ctx.purpose();
    }

    /** The declared classification as the log may hold it (implementations check it against the policy). */
    default String classification(Exchange exchange) {
        RequestContext ctx = exchange.get(RequestContext.class);
        return ctx == null ? null : ctx.classification();
    }
}
