package dev.bastion.ops;

import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;
import dev.bastion.route.ModelCatalog;
import dev.bastion.route.Route;

import java.util.Locale;

/** First stage, so its completion hook runs last and sees every request, refused ones included. */
public record ObserveStage(GatewayMetrics metrics, ModelCatalog catalog) implements Stage {

    @Override
    public String name() { return "observe"; }

    @Override
    public Outcome onRequest(Exchange exchange) { return Outcome.proceed(); }

    @Override
    public void onComplete(Exchange exchange) {
        Completion c = exchange.completion();
        Route route = exchange.get(Route.class);
        ModelRequest request = exchange.get(ModelRequest.class);
        String model = "unknown";
        String backend = "none";
        if (route != null) {
            model = route.alias();
            backend = route.backendName();
        } else if (request != null && catalog.find(request.model()) != null) {
            model = request.model();
        }
        Operation operation = exchange.get(Operation.class);
        metrics.record(new GatewayMetrics.RequestTags((operation == null ? exchange.action() : operation.name().toLowerCase(Locale.ROOT)), model,
                        backend, c.status(), c.result().name().toLowerCase(Locale.ROOT)),
                c.endNanos() - exchange.startNanos(), c.promptTokens(), c.completionTokens());
    }
}
