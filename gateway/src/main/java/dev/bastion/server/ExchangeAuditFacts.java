package dev.bastion.server;

import dev.bastion.audit.Actor;
import dev.bastion.audit.AuditFacts;
import dev.bastion.audit.ModelRoute;
import dev.bastion.identity.Authenticator;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.Exchange;
import dev.bastion.route.Route;
import dev.bastion.route.RouteStage;

/** What the audit stages record, read from the keys the other stages filled in. */
final class ExchangeAuditFacts implements AuditFacts {

    @Override
    public Actor principal(Exchange exchange) {
        Principal p = exchange.get(Authenticator.PRINCIPAL);
        return p == null ? null : Actor.of(p);
    }

    @Override
    public ModelRoute route(Exchange exchange) {
        Route r = exchange.get(RouteStage.ROUTE);
        if (r != null) {
            return new ModelRoute(r.alias(), r.upstreamModel(), r.backendName(),
                    r.backendAttributes().get("model_sha256"));
        }
        return exchange.request() == null ? null : ModelRoute.alias(exchange.request().model());
    }
}
