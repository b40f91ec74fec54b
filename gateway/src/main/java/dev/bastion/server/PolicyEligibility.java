package dev.bastion.server;

import dev.bastion.identity.Principal;
import dev.bastion.pipeline.Exchange;
import dev.bastion.policy.Authorization;
import dev.bastion.policy.Decision;
import dev.bastion.policy.Obligations;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.PolicyRequest;
import dev.bastion.policy.RequestFacts;
import dev.bastion.policy.Resource;
import dev.bastion.route.Eligibility;
import dev.bastion.route.Route;

import java.util.Map;
import java.util.function.Function;

/**
 * The request's policy decision, per candidate backend: a backend is eligible when the policy permits this caller,
 * action and content on it, its region is within the decision's region list, and the decision's obligations are
 * those of the first eligible backend — the request is transformed once, for that backend, so a fallback must not
 * need a different transformation. The reason class says why not: {@code classification} (the request's level,
 * raised by what inspection found, is above the backend's maximum), {@code region}, {@code obligations} or
 * {@code policy}.
 */
final class PolicyEligibility implements Eligibility {
    /** The obligations of the first eligible backend of this exchange. */
    private record FirstObligations(Obligations obligations) {}

    private final PolicyHolder policies;
    private final Function<Exchange, Map<String, ? extends Number>> findings;
    private final Function<Route, Resource> resourceOf;

    /** @param resourceOf a candidate as policy sees it (with its registry approval) */
    PolicyEligibility(PolicyHolder policies, Function<Exchange, Map<String, ? extends Number>> findings,
                      Function<Route, Resource> resourceOf) {
        this.policies = policies;
        this.findings = findings;
        this.resourceOf = resourceOf;
    }

    @Override
    public String excluded(Exchange exchange, Route candidate) {
        Principal principal = exchange.get(Principal.class);
        if (principal == null) return POLICY;
        Resource resource = resourceOf.apply(candidate);
        RequestFacts facts = Authorization.facts(exchange, Authorization.ipLiteral(exchange.clientAddress()),
                Authorization.counts(findings.apply(exchange)));
        Decision d = policies.decide(new PolicyRequest(principal, Authorization.action(exchange.action()), resource, facts));
        if (!d.allowed()) return policies.current().classificationAbove(facts, resource) ? CLASSIFICATION : POLICY;
        if (!d.obligations().regionAllowed(resource.region())) return REGION;
        FirstObligations first = exchange.get(FirstObligations.class);
        if (first == null) {
            exchange.put(FirstObligations.class, new FirstObligations(d.obligations()));
            return null;
        }
        return first.obligations().equals(d.obligations()) ? null : "obligations";
    }
}
