package dev.bastion.governance;

import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.ResponseFilter;
import dev.bastion.pipeline.Stage;
import dev.bastion.policy.Resource;
import dev.bastion.route.Route;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The registry gates routing, for the local engine and remote backends alike, in three places of the model chain:
 * <ul>
 *   <li>{@link #lookup()} right after the route stage: the routed model's {@link Verdict} becomes a fact (audit takes
 *       the artifact digest from it) and policy's {@link Resource} gets {@code approval}; a request carrying
 *       {@code X-Bastion-Evaluation} is admitted only as a pending item of its own evaluation run
 *       ({@code approval = evaluating});</li>
 *   <li>{@link #gate()} right after authorization — so a credential scoped to other models still learns nothing —
 *       refuses anything not {@code approved}/{@code deployed} with 403 {@code model_not_approved}, and refuses on a
 *       replica whose registry view is not fresh (503 {@code registry_unavailable});</li>
 *   <li>{@link #capture()} after the transform stage: its response filter is the first to see generated text, so an
 *       evaluation scores what the model produced (before any masking); the lookup records the item on completion.</li>
 * </ul>
 */
public final class RegistryStages {
    private final RoutingGate gate;
    private final Evaluations evaluations;
    private final boolean serveUnregistered;
    private final LongAdder unregisteredServed = new LongAdder();
    private final Map<String, String> bindingByAlias = new ConcurrentHashMap<>();
    private final Stage lookup = new Lookup();
    private final Stage approvalGate = new Gate();
    private final Stage capture = new Capture();

    /**
     * @param insecureServeUnregistered let models without any registry entry route (a named, counted migration aid;
     *                                  policy still sees {@code resource.approval == "unregistered"})
     */
    public RegistryStages(RoutingGate gate, Evaluations evaluations, boolean insecureServeUnregistered) {
        this.gate = gate;
        this.evaluations = evaluations;
        this.serveUnregistered = insecureServeUnregistered;
    }

    public Stage lookup() { return lookup; }

    public Stage gate() { return approvalGate; }

    public Stage capture() { return capture; }

    /** Requests served to unregistered models under {@code governance.insecure-serve-unregistered}. */
    public long unregisteredServed() { return unregisteredServed.sum(); }

    private final class Lookup implements Stage {
        @Override
        public String name() { return "registry"; }

        @Override
        public Outcome onRequest(Exchange exchange) {
            Route route = exchange.get(Route.class);
            if (route == null) return Outcome.proceed(); // an alias nothing serves: policy answers it
            // an alias may have several backends (routing chose this one): the binding is per alias and backend
            String key = route.alias() + '\u0000' + route.backendName();
            String binding = bindingByAlias.get(key);
            if (binding == null) binding = bindingByAlias.computeIfAbsent(key, a -> Bindings.of(route));
            Verdict verdict = gate.check(binding);
            RequestContext context = exchange.get(RequestContext.class);
            String evaluation = context == null ? null : context.evaluation(); // read once, by the context stage
            if (evaluation != null) {
                exchange.put(Evaluations.Ticket.class, evaluations.admit(evaluation, exchange.get(Principal.class),
                        verdict, exchange.get(ModelRequest.class)));
                if (!verdict.routable()) verdict = verdict.evaluating();
            }
            exchange.put(Verdict.class, verdict);
            Resource resource = exchange.get(Resource.class);
            if (resource != null) exchange.put(Resource.class, resource.withApproval(verdict.approval()));
            return Outcome.proceed();
        }

        @Override
        public void onComplete(Exchange exchange) {
            Evaluations.Ticket ticket = exchange.get(Evaluations.Ticket.class);
            if (ticket != null && exchange.completion() != null) {
                evaluations.record(ticket, exchange.completion(), exchange.get(Principal.class));
            }
        }
    }

    private final class Gate implements Stage {
        @Override
        public String name() { return "registry-gate"; }

        @Override
        public Outcome onRequest(Exchange exchange) {
            Verdict verdict = exchange.get(Verdict.class);
            if (verdict == null) return Outcome.deny(ErrorCode.INTERNAL, "no registry verdict for a routed model");
            if (!gate.fresh()) {
                return Outcome.deny(ErrorCode.REGISTRY_UNAVAILABLE.problem(
                        "this replica cannot confirm the model registry is current; retry"));
            }
            if (verdict.routable() || exchange.get(Evaluations.Ticket.class) != null) return Outcome.proceed();
            if (serveUnregistered && verdict.entryId() == null) {
                unregisteredServed.increment();
                return Outcome.proceed();
            }
            return Outcome.deny(ErrorCode.MODEL_NOT_APPROVED.problem(
                    "the requested model is not approved for use (registry state: " + verdict.approval() + ")", "model"));
        }
    }

    private static final class Capture implements Stage {
        private static final int MAX_CHARS = 64 * 1024;

        @Override
        public String name() { return "evaluation-capture"; }

        @Override
        public Outcome onRequest(Exchange exchange) { return Outcome.proceed(); }

        @Override
        public ResponseFilter responseFilter(Exchange exchange) {
            Evaluations.Ticket ticket = exchange.get(Evaluations.Ticket.class);
            if (ticket == null) return null;
            return new ResponseFilter() {
                @Override
                public String onText(int choice, String text) {
                    if (choice == 0 && ticket.answer.length() < MAX_CHARS) {
                        ticket.answer.append(text, 0, Math.min(text.length(), MAX_CHARS - ticket.answer.length()));
                    }
                    return text;
                }

                @Override
                public String flush(int choice) { return ""; }
            };
        }
    }
}
