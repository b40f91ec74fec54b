package dev.bastion.audit;

import dev.bastion.pipeline.Exchange;

import java.util.List;
import java.util.Map;

/**
 * What other stages learned about an exchange, as the audit stages need it. The server implements this over the
 * facts the identity, policy, inspection and routing packages declare, so this package depends on none of them.
 * Every method may be called for any exchange and must not throw. No method has a default: a default answer (no
 * findings, no decision) is how complete records once went out without output findings, so an implementation must
 * say what it records for each field.
 */
public interface AuditFacts {

    /** The authenticated caller, or null when authentication did not succeed. */
    Actor principal(Exchange exchange);

    /** The policy decision, or null when policy did not run. */
    PolicyDecision decision(Exchange exchange);

    /** Input-inspection finding counts by type (never values). */
    Map<String, ? extends Number> inputFindings(Exchange exchange);

    /** Output-inspection finding counts by type, known once the answer has ended. */
    Map<String, ? extends Number> outputFindings(Exchange exchange);

    /** The backend that produced the answer, or null when none did. */
    String servedBackend(Exchange exchange);

    /** How many planned backends failed before the one that answered (before the client saw a byte). */
    int fallbacks(Exchange exchange);

    /**
     * The length and digest of the exact body each backend the request may go to will get (the routed one first);
     * empty before the calls were prepared.
     */
    java.util.List<SentBody> sent(Exchange exchange);

    /**
     * The routed model (alias, upstream model, backend, artifact digest); null on routes that name no model (admin
     * routes). A value the caller controls enters the log only after validation against what exists: a model name
     * that names no model is {@link ModelRoute#UNKNOWN}.
     */
    ModelRoute route(Exchange exchange);

    /**
     * The tokens of the data subjects the request names, once they are tokens (the consent stage ran); empty before
     * that, so a raw subject id never reaches the log.
     */
    List<String> subjectTokens(Exchange exchange);

    /** The declared purpose as the log may hold it: checked against the policy's registry, a marker otherwise. */
    String purpose(Exchange exchange);

    /** The declared classification as the log may hold it: checked against the policy, a marker otherwise. */
    String classification(Exchange exchange);
}
