package dev.bastion.console;

import dev.bastion.identity.Principal;
import dev.bastion.inspect.Transformed;
import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;
import dev.bastion.route.Route;

import java.util.Locale;
import java.util.Map;

/** Counts each finished model request into the dashboards' {@link Telemetry} (labels and numbers only). */
record TelemetryStage(Telemetry telemetry) implements Stage {

    @Override
    public String name() { return "telemetry"; }

    @Override
    public Outcome onRequest(Exchange exchange) { return Outcome.proceed(); }

    @Override
    public void onComplete(Exchange exchange) {
        Completion c = exchange.completion();
        if (c == null) return;
        Principal p = exchange.get(Principal.class);
        Route route = exchange.get(Route.class);
        String refusal = c.status() >= 400 ? (c.errorCode() != null ? c.errorCode() : "status_" + c.status()) : null;
        Object team = p == null ? null : p.attributes().get("team");
        boolean backendError = c.result() == Completion.Result.BACKEND_ERROR || (route != null && c.status() >= 500);
        long tokens = Math.max(0, c.promptTokens()) + Math.max(0, c.completionTokens());
        Map<String, Integer> findings = Transformed.inputCounts(exchange);
        telemetry.record(new Telemetry.Observation(c.result().name().toLowerCase(Locale.ROOT), refusal, findings,
                p == null ? "anonymous" : p.id(), team instanceof String t ? t : "(none)", tokens,
                route == null ? "none" : route.backendName(), backendError,
                Math.max(0, (c.endNanos() - exchange.startNanos()) / 1_000_000)));
    }
}
