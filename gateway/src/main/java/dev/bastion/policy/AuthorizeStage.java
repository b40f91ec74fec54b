package dev.bastion.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.identity.Authenticator;
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
 * The authorize stage: asks the policy whether the caller may perform the operation on the routed model, with the
 * caller's declared context, client address and (once inspection runs) finding counts. A denial answers 403 with
 * the decision's stable code and deciding rule ids. An allowed decision is kept under {@link Authorization#DECISION}
 * for later stages, and the obligations that can be enforced here are: the region list against the routed backend
 * (403 {@code region_not_allowed}), and the {@code max_tokens} cap written into the request.
 *
 * <p>The stage learns the routed model and the findings through functions the server supplies, so this package
 * depends on neither routing nor inspection.
 */
public final class AuthorizeStage implements Stage {
    private static final String[] TOKEN_FIELDS = {"max_tokens", "max_completion_tokens"};

    private final PolicyHolder policies;
    private final Function<Exchange, Resource> resource;
    private final Function<Exchange, Map<String, ? extends Number>> findings;

    /**
     * @param resource the routed model as policy sees it (canonical alias, labels, backend, region, maximum
     *                 classification), or null when nothing was routed (refused: fail closed)
     * @param findings input-inspection finding counts by entity type; empty when inspection did not run
     */
    public AuthorizeStage(PolicyHolder policies, Function<Exchange, Resource> resource,
                          Function<Exchange, Map<String, ? extends Number>> findings) {
        this.policies = policies;
        this.resource = resource;
        this.findings = findings;
    }

    @Override
    public String name() { return "authorize"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        Principal principal = exchange.get(Authenticator.PRINCIPAL);
        Resource model = resource.apply(exchange);
        if (principal == null || model == null) {
            return Outcome.deny(ErrorCode.PERMISSION_DENIED, "the request could not be authorized");
        }
        RequestFacts facts = Authorization.facts(exchange, Authorization.ipLiteral(exchange.clientAddress()), counts(exchange));
        Decision decision = policies.decide(
                new PolicyRequest(principal, Authorization.action(exchange.operation()), model, facts));
        // kept for denials too, so the refusal's audit record names the deciding rules
        exchange.put(Authorization.DECISION, decision);
        if (!decision.allowed()) return Outcome.deny(decision.problem(facts.purpose()));

        Obligations obligations = decision.obligations();
        if (!obligations.regionAllowed(model.region())) {
            return Outcome.deny(ErrorCode.REGION_NOT_ALLOWED.problem(
                    "policy allows this request only on backends in other regions than this model's"));
        }
        if (obligations.maxTokens() > 0 && exchange.operation() != Operation.EMBEDDING) {
            capTokens(exchange.request(), obligations.maxTokens());
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
        Map<String, ? extends Number> raw = findings.apply(exchange);
        if (raw == null || raw.isEmpty()) return Map.of();
        Map<String, Integer> out = new LinkedHashMap<>();
        raw.forEach((type, n) -> out.put(type, (int) Math.min(Integer.MAX_VALUE, Math.max(0, n.longValue()))));
        return out;
    }
}
