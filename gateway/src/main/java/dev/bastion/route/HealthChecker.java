package dev.bastion.route;

import dev.bastion.backend.ModelBackend;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Active health checks: every backend whose {@code health.interval} is set is probed that often (a cheap request,
 * {@link ModelBackend#probe()}, through the egress gate like any call); a failed probe takes it out of rotation until
 * a probe succeeds. One probe per backend at a time, each on its own virtual thread, so a hung backend delays only
 * its own checks.
 */
public final class HealthChecker implements AutoCloseable {
    private final ModelCatalog catalog;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService ticker;
    private final Map<String, Long> due = new ConcurrentHashMap<>();
    private final Map<String, Boolean> probing = new ConcurrentHashMap<>();

    /** Starts checking; {@code tickMillis} is how often due probes are looked for. */
    public HealthChecker(ModelCatalog catalog, long tickMillis) {
        this(catalog, tickMillis, System::nanoTime);
    }

    HealthChecker(ModelCatalog catalog, long tickMillis, LongSupplier nanoClock) {
        this.catalog = catalog;
        this.nanoClock = nanoClock;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bastion-health-checks");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts every probe that is due; public for tests that drive time by hand. */
    void tick() {
        long now = nanoClock.getAsLong();
        for (BackendState state : catalog.states()) {
            long interval = state.settings().healthInterval().toNanos();
            if (interval <= 0) continue;
            String name = state.name();
            Long next = due.get(name);
            if (next != null && now - next < 0) continue;
            ModelBackend backend = catalog.backend(name);
            if (backend == null || probing.putIfAbsent(name, true) != null) continue;
            due.put(name, now + interval);
            Thread.ofVirtual().name("health-" + name).start(() -> {
                try {
                    state.probed(backend.probe());
                } finally {
                    probing.remove(name);
                }
            });
        }
    }

    @Override
    public void close() { ticker.shutdownNow(); }
}
