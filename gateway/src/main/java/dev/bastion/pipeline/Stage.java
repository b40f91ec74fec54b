package dev.bastion.pipeline;

/**
 * One step of the request path. Request side: {@link #onRequest} decides continue / reply now / deny. Response side,
 * called only for stages whose {@code onRequest} ran, in reverse order: {@link #responseFilter} for generated text,
 * then {@link #onComplete} once the answer has ended (whatever the outcome).
 */
public interface Stage {

    /** Short stable name used in metrics and audit ("authenticate", "policy", …). */
    String name();

    Outcome onRequest(Exchange exchange);

    /** A filter over generated text for this exchange, or null when this stage does not look at answers. */
    default ResponseFilter responseFilter(Exchange exchange) { return null; }

    /** The exchange has ended; {@link Exchange#completion()} says how. Must not throw. */
    default void onComplete(Exchange exchange) {}
}
