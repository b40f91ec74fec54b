package dev.bastion.route;

import dev.bastion.identity.Authenticator;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Key;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;

/**
 * Resolves the requested alias to a route: unknown aliases get 404 {@code model_not_found}; an alias outside the
 * credential's model scope gets 403 {@code model_not_allowed} — and so does an unknown alias for a scoped
 * credential, so scoped keys cannot probe which other models exist.
 */
public record RouteStage(ModelCatalog catalog) implements Stage {
    /** The chosen route, for policy, audit and the backend call. */
    public static final Key<Route> ROUTE = Key.of("route", Route.class);

    @Override
    public String name() { return "route"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        String alias = exchange.request().model();
        Principal principal = exchange.get(Authenticator.PRINCIPAL);
        if (principal != null && !principal.mayUseModel(alias)) {
            return Outcome.deny(ErrorCode.MODEL_NOT_ALLOWED.problem("this credential may not use the requested model",
                    "model"));
        }
        Route route = catalog.find(alias);
        if (route == null) {
            return Outcome.deny(ErrorCode.MODEL_NOT_FOUND.problem("the requested model does not exist", "model"));
        }
        exchange.put(ROUTE, route);
        return Outcome.proceed();
    }
}
