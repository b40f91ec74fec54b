package dev.bastion.route;

import dev.bastion.backend.ModelBackend;
import dev.bastion.config.BackendSettings;
import dev.bastion.config.ModelSettings;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model aliases Bastion serves and the backends behind them. Alias lookup is exact: no case folding or Unicode
 * normalisation, so a look-alike name can never reach a model that policy meant to keep apart.
 */
public final class ModelCatalog implements AutoCloseable {
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final Map<String, ModelBackend> backends = new LinkedHashMap<>();

    public ModelCatalog(List<BackendSettings> backendSettings, List<ModelSettings> models,
                        Map<String, ModelBackend> backendsByName) {
        backends.putAll(backendsByName);
        Map<String, BackendSettings> settings = new LinkedHashMap<>();
        for (BackendSettings b : backendSettings) settings.put(b.name(), b);
        for (ModelSettings m : models) {
            ModelBackend backend = backendsByName.get(m.backend());
            if (backend == null) throw new IllegalArgumentException("model alias names unknown backend");
            Route previous = routes.putIfAbsent(m.alias(), new Route(m.alias(), backend, m.upstream(), m.labels(),
                    settings.get(m.backend()).attributes()));
            if (previous != null) throw new IllegalArgumentException("model alias '" + m.alias() + "' is declared twice");
        }
    }

    /** The route for an alias, or null. */
    public Route find(String alias) { return routes.get(alias); }

    public Collection<Route> routes() { return routes.values(); }

    public Collection<ModelBackend> backends() { return backends.values(); }

    @Override
    public void close() {
        for (ModelBackend b : backends.values()) b.close();
    }
}
