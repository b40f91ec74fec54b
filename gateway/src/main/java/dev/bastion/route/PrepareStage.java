package dev.bastion.route;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.backend.UpstreamRequest;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last change to a request, and the end of changes: after every stage that edits the body (policy's token cap,
 * masking, pseudonyms) and before the accept record, it asks a stream for its usage chunk, then has every backend
 * the request may go to (the routed one and the {@link RoutePlan}'s fallbacks) build its exact call — upstream
 * model name, protocol — freezes the request and leaves the {@link Forward} fact. The accept record describes
 * those bytes; the terminal sends one of them and nothing else.
 */
public final class PrepareStage implements Stage {

    /**
     * The calls prepared, by backend name in the order they may be tried, and whether the terminal drops the usage
     * chunk the client did not ask for.
     */
    public record Forward(Map<String, UpstreamRequest> calls, boolean stripUsage) {
        public Forward {
            calls = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(calls));
        }

        /** The call prepared for this backend; there is one for every planned target. */
        UpstreamRequest callFor(Route route) {
            UpstreamRequest call = calls.get(route.backendName());
            if (call == null) throw new IllegalStateException("no call was prepared for a planned backend");
            return call;
        }
    }

    @Override
    public String name() { return "prepare"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        Route routed = exchange.require(Route.class);
        ModelRequest request = exchange.require(ModelRequest.class);
        boolean stripUsage = askForUsage(request);
        RoutePlan plan = exchange.get(RoutePlan.class);
        List<Route> targets = plan != null ? plan.targets() : List.of(routed);
        Map<String, UpstreamRequest> calls = new LinkedHashMap<>();
        for (Route r : targets) calls.putIfAbsent(r.backendName(), r.backend().prepare(request, r.upstreamModel()));
        request.freeze();
        exchange.put(Forward.class, new Forward(calls, stripUsage));
        return Outcome.proceed();
    }

    /**
     * Streams only report token counts when asked; ask always (metrics and audit need them) and drop the extra
     * usage chunk for clients that did not ask.
     */
    private static boolean askForUsage(ModelRequest request) {
        if (!request.stream() || request.operation() == Operation.EMBEDDING || request.includeUsage()) return false;
        ObjectNode json = request.json();
        json.putObject("stream_options").put("include_usage", true);
        request.markModified();
        return true;
    }
}
