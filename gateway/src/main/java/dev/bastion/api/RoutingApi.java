package dev.bastion.api;

import dev.bastion.route.BackendState;
import dev.bastion.route.ModelCatalog;
import dev.bastion.route.ModelRoutes;
import dev.bastion.route.Route;
import dev.bastion.route.Target;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Routing over HTTP: {@code GET /bastion/v1/routing} ({@code config.read}: each backend's state — in rotation or why
 * not, calls in flight and queued, ejections — and each alias's backends with priority and weight) and
 * {@code POST /bastion/v1/routing/reload} ({@code backends.manage}, audited {@code routing.reload}: re-reads the
 * configuration file and applies its {@code backends} and {@code models} without a restart).
 */
public final class RoutingApi {
    private final ModelCatalog catalog;
    private final Supplier<Map<String, Object>> reload;

    /** @param reload applies the re-read configuration and describes what changed; throws ProblemException (422) */
    public RoutingApi(ModelCatalog catalog, Supplier<Map<String, Object>> reload) {
        this.catalog = catalog;
        this.reload = reload;
    }

    public void register(AdminRoutes routes) {
        routes.get("/bastion/v1/routing", Access.to("config.read").on(dev.bastion.policy.Resource.admin("backends", "*")),
                this::show);
        routes.post("/bastion/v1/routing/reload",
                Access.to("backends.manage").audited("routing.reload", call -> "backends:*"), call -> Reply.ok(reload.get()));
    }

    private Reply show(AdminCall call) {
        List<Map<String, Object>> backends = new ArrayList<>();
        for (BackendState s : catalog.states()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("name", s.name());
            String why = s.unavailable();
            b.put("in_rotation", why == null);
            if (why != null) b.put("out_because", why);
            b.put("in_flight", s.inFlight());
            b.put("queued", s.queued());
            b.put("ejections", s.ejectionsTotal());
            backends.add(b);
        }
        List<Map<String, Object>> aliases = new ArrayList<>();
        for (Route preferred : catalog.routes()) {
            ModelRoutes r = catalog.targets(preferred.alias());
            if (r == null) continue;
            List<Map<String, Object>> targets = new ArrayList<>();
            for (Target t : r.targets()) {
                targets.add(Map.of("backend", t.route().backendName(), "model", t.route().upstreamModel(),
                        "priority", t.priority(), "weight", t.weight()));
            }
            aliases.add(Map.of("alias", r.alias(), "backends", targets));
        }
        return Reply.ok(Map.of("backends", backends, "aliases", aliases));
    }
}
