package dev.bastion.api;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;

import java.util.List;

/**
 * The access step of the operational routes ({@code /metrics}): the host's own tooling on loopback passes without
 * credentials; anyone else must pass {@code stages} (authenticate, then the policy's decision on the route's
 * action). Only {@code onRequest} is delegated: the stages it wraps keep nothing to complete.
 */
public record HostOrAuthorized(List<Stage> stages) implements Stage {
    public HostOrAuthorized {
        stages = List.copyOf(stages);
    }

    @Override
    public String name() { return "host-or-authorized"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        AdminCall.Http http = exchange.get(AdminCall.Http.class);
        if (http != null && AdminCall.isLoopback(http.request())) return Outcome.proceed();
        for (Stage stage : stages) {
            Outcome outcome = stage.onRequest(exchange);
            if (!(outcome instanceof Outcome.Continue)) return outcome;
        }
        return Outcome.proceed();
    }
}
