package dev.bastion.ops;

import dev.bastion.api.Responses;
import dev.bastion.backend.ModelBackend;
import dev.bastion.route.ModelCatalog;
import dev.bastion.store.Database;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
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
    private volatile Map<String, Boolean> lastProbe = Map.of();
    private java.util.function.Supplier<Map<String, String>> outOfRotation = Map::of;
    private volatile long lastProbeAt;

    public HealthApi(Database db, ModelCatalog catalog, GatewayMetrics metrics, BooleanSupplier draining,
                     BooleanSupplier sealed) {
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

    public void register(HttpRouting.Builder routing) {
        routing.get("/healthz", (req, res) -> json(res, 200, Map.of("status", "ok")));
        routing.get("/readyz", (req, res) -> ready(res));
        routing.get("/metrics", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(metrics.scrape());
        });
    }

    private void ready(ServerResponse res) {
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
        Map<String, String> b = new LinkedHashMap<>();
        backends.forEach((name, up) -> b.put(name, out.containsKey(name) ? "out of rotation: " + out.get(name)
                : up ? "up" : "down"));
        body.put("backends", b);
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
