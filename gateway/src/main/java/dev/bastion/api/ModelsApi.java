package dev.bastion.api;

import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.route.ModelCatalog;
import dev.bastion.route.Route;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/models} and {@code /v1/models/{id}}: the aliases the caller may use. Models outside the caller's
 * scope are not listed and answer 404, so a scoped credential learns nothing about the rest.
 */
public final class ModelsApi {
    private final ModelCatalog catalog;
    private final AdminGuard guard;
    private final long created;

    public ModelsApi(ModelCatalog catalog, AdminGuard guard, long createdEpochSeconds) {
        this.catalog = catalog;
        this.guard = guard;
        this.created = createdEpochSeconds;
    }

    public void register(HttpRouting.Builder routing) {
        routing.get("/v1/models", Responses.guarded(this::list));
        routing.get("/v1/models/{id}", Responses.guarded(this::show));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Principal p = guard.authenticate(req);
        List<Map<String, Object>> data = new ArrayList<>();
        for (Route r : catalog.routes()) {
            if (p.mayUseModel(r.alias())) data.add(view(r));
        }
        Responses.json(res, 200, Map.of("object", "list", "data", data));
    }

    private void show(ServerRequest req, ServerResponse res) {
        Principal p = guard.authenticate(req);
        String id = req.path().pathParameters().get("id");
        Route r = catalog.find(id);
        if (r == null || !p.mayUseModel(id)) {
            throw new ProblemException(ErrorCode.MODEL_NOT_FOUND.problem("the requested model does not exist", "model"));
        }
        Responses.json(res, 200, view(r));
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
