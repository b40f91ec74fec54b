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
    public java.util.Map<String, ? extends Number> inputFindings(Exchange exchange) {
        var scan = exchange.get(dev.bastion.inspect.InspectKeys.SCAN);
        if (scan == null) return java.util.Map.of();
        var counts = new java.util.TreeMap<String, Integer>();
        scan.counts().forEach((type, n) -> counts.put(type.name(), n));
        return counts;
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
