package dev.bastion.route;

import dev.bastion.pipeline.Exchange;

/**
 * Whether one backend may serve this request, beyond its health: the policy decision for that backend
 * (classification, region), and whatever else other capabilities plug in — model approval in the registry,
 * attestation evidence. Called for each candidate in preference order, before authorization; must be cheap and must
 * not throw.
 */
@FunctionalInterface
public interface Eligibility {
    /** Reason classes of the checks Bastion ships; others add their own short lower-case tokens. */
    String POLICY = "policy";
    String CLASSIFICATION = "classification";
    String REGION = "region";
    /** The model registry does not let this backend's model serve (not approved, revoked, …). */
    String UNAPPROVED = "unapproved";

    /** Null when {@code candidate} may serve the request; else a short reason class ({@code classification}, …). */
    String excluded(Exchange exchange, Route candidate);
}
