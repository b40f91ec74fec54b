package dev.bastion.api;

import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.policy.Action;
import dev.bastion.policy.Decision;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.PolicyRequest;
import dev.bastion.policy.RequestFacts;
import dev.bastion.policy.Resource;
import dev.bastion.route.ModelCatalog;
import dev.bastion.route.Route;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/models} and {@code /v1/models/{id}}: the aliases the caller may use (needs {@code model.list}).
 * Models the policy would not let the caller invoke — outside a key's scope, above the caller's clearance, on a
 * backend in a region policy excludes — are not listed and answer 404, so a caller learns nothing about the rest;
 * nor are models the registry does not let route (not approved).
 */
public final class ModelsApi {
    private final ModelCatalog catalog;
    private final PolicyHolder policies;
    private final long created;
    private final java.util.function.Predicate<Route> servable;

    /** @param servable whether the registry lets a route serve now */
    public ModelsApi(ModelCatalog catalog, PolicyHolder policies, long createdEpochSeconds,
                     java.util.function.Predicate<Route> servable) {
        this.catalog = catalog;
        this.policies = policies;
        this.created = createdEpochSeconds;
        this.servable = servable;
    }

    public void register(AdminRoutes routes) {
        routes.get("/v1/models", Access.to("model.list"), this::list);
        routes.get("/v1/models/{id}", Access.to("model.list"), this::show);
    }

    private Reply list(AdminCall call) {
        RequestFacts facts = call.policyFacts();
        List<Map<String, Object>> data = new ArrayList<>();
        for (Route r : catalog.routes()) {
            if (mayUse(call.principal(), r, facts)) data.add(view(r));
        }
        return Reply.ok(Map.of("object", "list", "data", data));
    }

    private Reply show(AdminCall call) {
        Route r = catalog.find(call.pathParam("id"));
        if (r == null || !mayUse(call.principal(), r, call.policyFacts())) {
            throw new ProblemException(ErrorCode.MODEL_NOT_FOUND.problem("the requested model does not exist", "model"));
        }
        return Reply.ok(view(r));
    }

    /**
     * Whether policy would let the caller invoke (or embed with) this model, given what the listing request
     * declared (purpose, classification): the list shows what would be served, not merely what exists.
     */
    private boolean mayUse(Principal p, Route r, RequestFacts facts) {
        if (!servable.test(r)) return false;
        Resource model = r.policyResource();
        for (Action a : new Action[] {Action.MODEL_INVOKE, Action.MODEL_EMBED}) {
            Decision d = policies.decide(new PolicyRequest(p, a, model, facts));
            if (d.allowed() && d.obligations().regionAllowed(model.region())) return true;
        }
        return false;
    }

    private Map<String, Object> view(Route r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.alias());
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", "bastion");
        return m;
    }
}
