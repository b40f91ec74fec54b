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
 */
public record EngineSettings(List<Model> models, int threads, int context, int parallel, int queue, int maxTokens,
                             int heapMb, boolean isolationRequired, boolean embeddings, Duration startTimeout,
                             String classpath) {

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
                embeddings, startTimeout, classpath);
    }
}
