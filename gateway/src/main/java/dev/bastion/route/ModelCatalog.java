package dev.bastion.route;

import dev.bastion.backend.ModelBackend;
import dev.bastion.config.BackendSettings;
import dev.bastion.config.ModelSettings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The model aliases Bastion serves, the backends behind each, and each backend's routing state. Alias lookup is
 * exact: no case folding or Unicode normalisation, so a look-alike name can never reach a model that policy meant
 * to keep apart. The whole table is one immutable snapshot, swapped at once when the configuration is reloaded;
 * a request keeps the routes it resolved.
 */
public final class ModelCatalog implements AutoCloseable {
    private record Snapshot(Map<String, ModelRoutes> aliases, Map<String, ModelBackend> backends,
                            Map<String, BackendState> states, Map<String, BackendSettings> settings) {}

    private final LongSupplier nanoClock;
    private volatile Snapshot current;

    public ModelCatalog(List<BackendSettings> backendSettings, List<ModelSettings> models,
                        Map<String, ModelBackend> backendsByName) {
        this(backendSettings, models, backendsByName, System::nanoTime);
    }

    /** @param nanoClock the clock ejection times are measured on ({@link System#nanoTime()} but in tests) */
    public ModelCatalog(List<BackendSettings> backendSettings, List<ModelSettings> models,
                        Map<String, ModelBackend> backendsByName, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.current = build(backendSettings, models, backendsByName, null);
    }

    private Snapshot build(List<BackendSettings> backendSettings, List<ModelSettings> models,
                           Map<String, ModelBackend> backendsByName, Snapshot previous) {
        Map<String, BackendSettings> settings = new LinkedHashMap<>();
        for (BackendSettings b : backendSettings) settings.put(b.name(), b);
        Map<String, BackendState> states = new LinkedHashMap<>();
        for (var e : backendsByName.entrySet()) {
            BackendSettings s = settings.get(e.getKey());
            if (s == null) throw new IllegalArgumentException("backend '" + e.getKey() + "' has no settings");
            BackendState kept = previous == null || previous.backends().get(e.getKey()) != e.getValue() ? null
                    : previous.states().get(e.getKey());
            states.put(e.getKey(), kept != null && kept.settings().equals(s.balancing()) ? kept
                    : new BackendState(e.getKey(), s.balancing(), nanoClock));
        }
        Map<String, ModelRoutes> aliases = new LinkedHashMap<>();
        for (ModelSettings m : models) {
            List<Target> targets = new ArrayList<>();
            for (ModelSettings.Target t : m.targets()) {
                ModelBackend backend = backendsByName.get(t.backend());
                if (backend == null) throw new IllegalArgumentException("model alias names unknown backend");
                targets.add(new Target(new Route(m.alias(), backend, t.upstream(), m.labels(),
                        settings.get(t.backend()).attributes()), t.priority(), t.weight()));
            }
            if (aliases.putIfAbsent(m.alias(), new ModelRoutes(m.alias(), targets)) != null) {
                throw new IllegalArgumentException("model alias '" + m.alias() + "' is declared twice");
            }
        }
        return new Snapshot(Map.copyOf(aliases), new LinkedHashMap<>(backendsByName), states, settings);
    }

    /** The backends serving an alias, or null. */
    public ModelRoutes targets(String alias) { return current.aliases().get(alias); }

    /** The preferred route of an alias (its first configured backend), or null. */
    public Route find(String alias) {
        ModelRoutes r = targets(alias);
        return r == null ? null : r.preferred();
    }

    /** Every alias's preferred route. */
    public Collection<Route> routes() {
        return current.aliases().values().stream().map(ModelRoutes::preferred).toList();
    }

    public Collection<ModelBackend> backends() { return current.backends().values(); }

    /** Routing state of a backend, or null when no backend has that name (any more). */
    public BackendState state(String backend) { return current.states().get(backend); }

    public Collection<BackendState> states() { return current.states().values(); }

    /** The settings each backend was built from, by name (what a reload compares against). */
    public Map<String, BackendSettings> settings() { return Map.copyOf(current.settings()); }

    /** The backend instance serving under a name now, or null. */
    public ModelBackend backend(String name) { return current.backends().get(name); }

    /**
     * Swaps in a new table. Backends passed again as the same instance keep their routing state; the ones no longer
     * in the table are returned for the caller to close (calls still using them finish first: closing a backend
     * only drops its idle connections).
     */
    public synchronized List<ModelBackend> replace(List<BackendSettings> backendSettings, List<ModelSettings> models,
                                                   Map<String, ModelBackend> backendsByName) {
        Snapshot old = current;
        current = build(backendSettings, models, backendsByName, old);
        Map<ModelBackend, Boolean> live = new IdentityHashMap<>();
        for (ModelBackend b : backendsByName.values()) live.put(b, true);
        return old.backends().values().stream().filter(b -> !live.containsKey(b)).toList();
    }

    @Override
    public void close() {
        for (ModelBackend b : current.backends().values()) b.close();
    }
}
