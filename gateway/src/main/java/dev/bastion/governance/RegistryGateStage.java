package dev.bastion.governance;

import dev.bastion.identity.Authenticator;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Key;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;
import dev.bastion.route.Route;
import dev.bastion.route.RouteStage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The registry gates routing (runs right after the route stage, for the local engine and remote backends alike):
 * the routed model's entry must be {@code approved} or {@code deployed}, else 403 {@code model_not_approved}. The
 * verdict is left on the exchange for policy ({@code resource.approval}) and audit (the artifact digest). A request
 * carrying {@code X-Bastion-Evaluation} is admitted for a candidate only as a pending item of its own evaluation run.
 */
public final class RegistryGateStage implements Stage {
    /** The registry's verdict on the routed model. */
    public static final Key<Verdict> VERDICT = Key.of("registry-verdict", Verdict.class);
    static final Key<Evaluations.Ticket> TICKET = Key.of("evaluation-ticket", Evaluations.Ticket.class);

    private final RoutingGate gate;
    private final Evaluations evaluations;
    private final boolean serveUnregistered;
    private final LongAdder unregisteredServed = new LongAdder();
    private final Map<String, String> bindingByAlias = new ConcurrentHashMap<>();

    /**
     * @param insecureServeUnregistered let models without any registry entry route (a named, counted migration aid;
     *                                  policy still sees {@code resource.approval == "unregistered"})
     */
    public RegistryGateStage(RoutingGate gate, Evaluations evaluations, boolean insecureServeUnregistered) {
        this.gate = gate;
        this.evaluations = evaluations;
        this.serveUnregistered = insecureServeUnregistered;
    }

    /** Requests served to unregistered models under {@code governance.insecure-serve-unregistered}. */
    public long unregisteredServed() { return unregisteredServed.sum(); }

    @Override
    public String name() { return "registry"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        Route route = exchange.get(RouteStage.ROUTE);
        if (route == null) return Outcome.deny(ErrorCode.INTERNAL, "no route before the registry check");
        if (!gate.fresh()) {
            return Outcome.deny(ErrorCode.REGISTRY_UNAVAILABLE.problem(
                    "this replica cannot confirm the model registry is current; retry"));
        }
        String binding = bindingByAlias.get(route.alias());
        if (binding == null) binding = bindingByAlias.computeIfAbsent(route.alias(), a -> Bindings.of(route));
        Verdict verdict = gate.check(binding);
        String evaluation = exchange.header(Evaluations.HEADER);
        if (evaluation != null) {
            Principal principal = exchange.get(Authenticator.PRINCIPAL);
            exchange.put(TICKET, evaluations.admit(evaluation, principal, verdict, exchange.request()));
            exchange.put(VERDICT, verdict.routable() ? verdict : verdict.evaluating());
            return Outcome.proceed();
        }
        exchange.put(VERDICT, verdict);
        if (verdict.routable()) return Outcome.proceed();
        if (serveUnregistered && verdict.entryId() == null) {
            unregisteredServed.increment();
            return Outcome.proceed();
        }
        return Outcome.deny(ErrorCode.MODEL_NOT_APPROVED.problem(
                "the requested model is not approved for use (registry state: " + verdict.approval() + ")", "model"));
    }

    @Override
    public void onComplete(Exchange exchange) {
        Evaluations.Ticket ticket = exchange.get(TICKET);
        if (ticket != null && exchange.completion() != null) {
            evaluations.record(ticket, exchange.completion(), exchange.get(Authenticator.PRINCIPAL));
        }
    }
}
