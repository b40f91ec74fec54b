package dev.bastion.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The built-in local inference engine ({@code engine:}): GGUF models served by a sandboxed worker process each.
 * {@code bastion serve --model FILE} adds a model here.
 *
 * @param classpath  the engine worker's jar (default: {@code engine/target/bastion-engine.jar} under the
 *                   installation, found through the {@code bastion.home} system property the launcher sets)
 * @param isolation  {@code required}: the worker runs in its own network namespace or not at all
 * @param lockdown   how the worker is confined beyond its network namespace
 */
public record EngineSettings(List<Model> models, int threads, int context, int parallel, int queue, int maxTokens,
                             int heapMb, boolean isolationRequired, boolean embeddings, Duration startTimeout,
                             String classpath, Lockdown lockdown) {

    /**
     * The worker's lock-down ({@code engine.lockdown}, {@code engine.memory-limit}, {@code engine.cpus},
     * {@code engine.user}).
     *
     * @param mode        {@code required}, {@code best-effort} or {@code off}
     * @param memoryBytes cgroup memory limit; 0 = heap + model file + 512 MiB
     * @param cpus        cgroup CPU quota; 0 = the thread count
     * @param user        the unprivileged user a root gateway runs the worker as; null = nobody
     */
    public record Lockdown(String mode, long memoryBytes, double cpus, String user) {
        public static final Lockdown DEFAULT = new Lockdown("required", 0, 0, null);
    }

    /**
     * One model file and the alias clients use for it.
     *
     * @param lora a LoRA adapter (GGUF) served on top of {@code file}, or null
     */
    public record Model(Path file, String name, String alias, Path lora) {
        public Model(Path file, String name, String alias) { this(file, name, alias, null); }
    }

    public EngineSettings {
        models = List.copyOf(models);
    }

    public EngineSettings withModel(Model model) {
        var all = new java.util.ArrayList<>(models);
        all.add(model);
        return new EngineSettings(all, threads, context, parallel, queue, maxTokens, heapMb, isolationRequired,
                embeddings, startTimeout, classpath, lockdown);
    }
}
