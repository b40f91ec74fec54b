package dev.bastion.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The authorize stage, for every route that needs credentials: asks the policy whether the caller may perform the
 * route's action ({@link Exchange#action()}) on the exchange's {@link Resource} fact — the routed model (or an alias
 * nothing serves), or the administered area of an admin route — with the caller's declared context, client address
 * and (on model routes) input finding counts. A denial answers with the decision's stable code and deciding rule ids.
 * The {@link Decision} is left as a fact, denials included (the refusal record names the deciding rules). On model
 * routes the obligations enforceable here are: the region list against the routed backend (403
 * {@code region_not_allowed}), and the {@code max_tokens} cap written into the request.
 *
 * <p>The stage learns the findings through a function the server supplies, so this package does not depend on
 * inspection.
 */
public final class AuthorizeStage implements Stage {
    private static final String[] TOKEN_FIELDS = {"max_tokens", "max_completion_tokens"};

    private final PolicyHolder policies;
    private final Function<Exchange, Map<String, ? extends Number>> findings;

    /** @param findings input-inspection finding counts by entity type; empty when inspection did not run */
    public AuthorizeStage(PolicyHolder policies, Function<Exchange, Map<String, ? extends Number>> findings) {
        this.policies = policies;
        this.findings = findings;
    }

    /** For routes without inspection (admin routes). */
    public AuthorizeStage(PolicyHolder policies) {
        this(policies, exchange -> Map.of());
    }

    @Override
    public String name() { return "authorize"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        if (!policies.isFresh()) {
            // replicas share one policy: one that cannot vouch it runs the latest version refuses (fail closed)
            return Outcome.deny(ErrorCode.POLICY_UNAVAILABLE.problem(
                    "this server cannot confirm it runs the latest policy version; try again shortly")
                    .withDetail("retry_after", "1"));
        }
        Principal principal = exchange.get(Principal.class);
        Resource resource = exchange.get(Resource.class);
        if (principal == null || resource == null) {
            return Outcome.deny(ErrorCode.PERMISSION_DENIED, "the request could not be authorized");
        }
        RequestFacts facts = Authorization.facts(exchange, Authorization.ipLiteral(exchange.clientAddress()), counts(exchange));
        Decision decision = policies.decide(
                new PolicyRequest(principal, Authorization.action(exchange.action()), resource, facts));
        // kept for denials too, so the refusal's audit record names the deciding rules
        exchange.put(Decision.class, decision);
        if (!decision.allowed()) return Outcome.deny(decision.problem(facts.purpose()));
        if (!resource.isModel()) return Outcome.proceed();

        Obligations obligations = decision.obligations();
        if (!obligations.regionAllowed(resource.region())) {
            return Outcome.deny(ErrorCode.REGION_NOT_ALLOWED.problem(
                    "policy allows this request only on backends in other regions than this model's"));
        }
        ModelRequest request = exchange.get(ModelRequest.class);
        if (obligations.maxTokens() > 0 && request != null && request.operation() != Operation.EMBEDDING) {
            capTokens(request, obligations.maxTokens());
        }
        return Outcome.proceed();
    }

    /**
     * Lowers {@code max_tokens} / {@code max_completion_tokens} to the cap, or sets {@code max_tokens} when the
     * client sent neither (the cap must hold even for clients that rely on the backend's default).
     */
    static void capTokens(ModelRequest request, int cap) {
        ObjectNode json = request.json();
        boolean present = false;
        for (String field : TOKEN_FIELDS) {
            JsonNode v = json.get(field);
            if (v == null || v.isNull()) continue;
            present = true;
            // the parse stage admitted only integers within the server limit
            if (!v.canConvertToLong() || v.asLong() > cap) {
                json.put(field, cap);
                request.markModified();
            }
        }
        if (!present) {
            json.put("max_tokens", cap);
            request.markModified();
        }
    }

    private Map<String, Integer> counts(Exchange exchange) {
        return Authorization.counts(findings.apply(exchange));
    }
}
