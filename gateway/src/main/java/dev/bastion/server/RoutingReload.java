package dev.bastion.server;

import dev.bastion.backend.ModelBackend;
import dev.bastion.config.BackendSettings;
import dev.bastion.config.BastionConfig;
import dev.bastion.config.ConfigException;
import dev.bastion.config.ModelSettings;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.route.ModelCatalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Applies the {@code backends} and {@code models} sections of a re-read configuration without a restart: a backend
 * whose settings did not change keeps its instance (pooled connections, health and ejection state); a changed or new
 * one is built afresh (its egress destination declared, which appends a new manifest to the audit log); one no
 * longer named is closed once the new table is in place. Aliases are swapped at once. Everything else in the file
 * (including {@code egress}) takes effect at the next start.
 */
final class RoutingReload {
    private final Supplier<BastionConfig> reread;
    private final Function<BackendSettings, ModelBackend> build;
    private final ModelCatalog catalog;
    private final List<BackendSettings> fixedBackends;
    private final List<ModelSettings> fixedModels;
    private final Runnable afterReload;

    /**
     * @param fixedBackends backends that do not come from the file (the built-in engine's), kept as they are
     * @param afterReload   run after each applied reload (per-backend metrics for new names)
     */
    RoutingReload(Supplier<BastionConfig> reread, Function<BackendSettings, ModelBackend> build, ModelCatalog catalog,
                  List<BackendSettings> fixedBackends, List<ModelSettings> fixedModels, Runnable afterReload) {
        this.reread = reread;
        this.build = build;
        this.catalog = catalog;
        this.fixedBackends = List.copyOf(fixedBackends);
        this.fixedModels = List.copyOf(fixedModels);
        this.afterReload = afterReload;
    }

    /** Re-reads and applies; 422 {@code config_invalid} (naming keys, never values) when the file is invalid. */
    synchronized Map<String, Object> reload() {
        BastionConfig config;
        try {
            config = reread.get();
        } catch (ConfigException e) {
            throw new ProblemException(ErrorCode.CONFIG_INVALID.problem(
                    "the configuration file is invalid; routing is unchanged: " + String.join("; ", e.problems())));
        }
        Map<String, BackendSettings> before = catalog.settings();
        Map<String, ModelBackend> instances = new LinkedHashMap<>();
        List<BackendSettings> all = new ArrayList<>(config.backends());
        all.addAll(fixedBackends);
        TreeSet<String> added = new TreeSet<>(), changed = new TreeSet<>(), kept = new TreeSet<>();
        for (BackendSettings b : all) {
            BackendSettings old = before.get(b.name());
            ModelBackend current = catalog.backend(b.name());
            if (old != null && old.equals(b) && current != null) {
                instances.put(b.name(), current);
                kept.add(b.name());
            } else {
                instances.put(b.name(), build.apply(b));
                (old == null ? added : changed).add(b.name());
            }
        }
        List<ModelSettings> models = new ArrayList<>(config.models());
        models.addAll(fixedModels);
        List<ModelBackend> retired;
        try {
            retired = catalog.replace(all, models, instances);
        } catch (IllegalArgumentException e) {
            for (String name : added) instances.get(name).close();
            for (String name : changed) instances.get(name).close();
            throw new ProblemException(ErrorCode.CONFIG_INVALID.problem("the new routing table is invalid: " + e.getMessage()));
        }
        retired.forEach(ModelBackend::close);
        afterReload.run();
        TreeSet<String> removed = new TreeSet<>(before.keySet());
        removed.removeAll(instances.keySet());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("backends_added", List.copyOf(added));
        out.put("backends_changed", List.copyOf(changed));
        out.put("backends_removed", List.copyOf(removed));
        out.put("backends_unchanged", List.copyOf(kept));
        out.put("aliases", models.stream().map(ModelSettings::alias).sorted().toList());
        return out;
    }
}
