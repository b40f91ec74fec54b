package dev.bastion.route;

import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;
import dev.bastion.policy.Resource;

/**
 * Resolves the requested alias to a {@link Route} (for audit and the backend call) and leaves the model as policy
 * sees it as the {@link Resource} fact. An alias nothing serves becomes {@link Resource#unknownModel}: the authorize
 * stage answers it — 403 {@code model_not_allowed} for a credential scoped to other models, else 404
 * {@code model_not_found} — because the credential's scope is checked in the policy and nowhere else.
 */
public record RouteStage(ModelCatalog catalog) implements Stage {

    @Override
    public String name() { return "route"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        String alias = exchange.require(ModelRequest.class).model();
        Route route = catalog.find(alias);
        if (route == null) {
            exchange.put(Resource.class, Resource.unknownModel(alias));
            return Outcome.proceed();
        }
        exchange.put(Route.class, route);
        exchange.put(Resource.class, route.policyResource());
        return Outcome.proceed();
    }
}
