package dev.bastion.ops;

import dev.bastion.api.Access;
import dev.bastion.api.AdminRoutes;
import dev.bastion.api.Reply;
import dev.bastion.api.Responses;
import dev.bastion.backend.ModelBackend;
import dev.bastion.route.ModelCatalog;
import dev.bastion.store.Database;
import dev.bastion.pipeline.Problem;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Backend and alias names only to callers on loopback or allowed {@code ops.read}; others get the status alone.
 * {@code /healthz} (the process is alive), {@code /readyz} (the barrier is unsealed, the store answers and, when
 * backends are configured, at least one of them does; each component's state is listed) and {@code /metrics} (Prometheus text). Backend
 * probes are cached for two seconds so a probing load balancer cannot load the backends.
 */
public final class HealthApi {
    private static final long PROBE_TTL_NANOS = 2_000_000_000L;

    private final Database db;
    private final ModelCatalog catalog;
    private final GatewayMetrics metrics;
    private final BooleanSupplier draining;
    private final BooleanSupplier sealed;
    private final Function<ServerRequest, Problem> access;
    private volatile Map<String, Boolean> lastProbe = Map.of();
    private java.util.function.Supplier<Map<String, String>> outOfRotation = Map::of;
    private volatile long lastProbeAt;

    /**
     * @param access null when the caller may see backend and alias names (loopback or {@code ops.read}), else why
     *               not: {@code /readyz} then names nothing
     */
    public HealthApi(Database db, ModelCatalog catalog, GatewayMetrics metrics, BooleanSupplier draining,
                     BooleanSupplier sealed, Function<ServerRequest, Problem> access) {
        this.access = access;
        this.sealed = sealed;
        this.db = db;
        this.catalog = catalog;
        this.metrics = metrics;
        this.draining = draining;
    }

    /** Backends out of rotation for a reason a probe cannot see (attestation), with the reason, for /readyz. */
    public HealthApi withOutOfRotation(java.util.function.Supplier<Map<String, String>> reasons) {
        this.outOfRotation = reasons;
        return this;
    }

    /**
     * {@code /healthz} and {@code /readyz} answer anyone (the names in {@code /readyz} only to whom {@code access}
     * allows); {@code /metrics} is an operational route of the request chain, so its 401/403 refusals are audited.
     */
    public void register(HttpRouting.Builder routing, AdminRoutes admin) {
        routing.get("/healthz", (req, res) -> json(res, 200, Map.of("status", "ok")));
        routing.get("/readyz", Responses.guarded((req, res) -> ready(res, access.apply(req) == null)));
        admin.operational("/metrics", Access.to("ops.read"), call -> Reply.bytes(200,
                "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(StandardCharsets.UTF_8)));
    }

    private void ready(ServerResponse res, boolean names) {
        boolean store = db.ping();
        Map<String, Boolean> backends = new LinkedHashMap<>(probeBackends());
        Map<String, String> out = outOfRotation.get();
        out.keySet().forEach(name -> backends.replace(name, false));
        boolean anyBackend = backends.isEmpty() || backends.containsValue(true);
        boolean isSealed = sealed.getAsBoolean();
        boolean ok = store && anyBackend && !draining.getAsBoolean() && !isSealed;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ok ? "ready" : "not_ready");
        body.put("store", store ? "up" : "down");
        body.put("barrier", isSealed ? "sealed" : "unsealed");
        if (names) {
            Map<String, String> b = new LinkedHashMap<>();
            backends.forEach((name, up) -> b.put(name, out.containsKey(name) ? "out of rotation: " + out.get(name)
                    : up ? "up" : "down"));
            body.put("backends", b);
        } else {
            long up = backends.values().stream().filter(v -> v).count();
            body.put("backends_up", up);
            body.put("backends_down", backends.size() - up);
        }
        if (draining.getAsBoolean()) body.put("draining", true);
        json(res, ok ? 200 : 503, body);
    }

    private Map<String, Boolean> probeBackends() {
        long now = System.nanoTime();
        if (now - lastProbeAt < PROBE_TTL_NANOS && lastProbeAt != 0) return lastProbe;
        Map<String, Boolean> result = new LinkedHashMap<>();
        for (ModelBackend backend : catalog.backends()) result.put(backend.name(), backend.probe());
        lastProbe = result;
        lastProbeAt = now;
        return result;
    }

    private static void json(ServerResponse res, int status, Object body) {
        Responses.json(res, status, body);
    }
}
