package dev.bastion.localengine;

import dev.bastion.backend.ModelBackend;
import dev.bastion.backend.OpenAiBackend;
import dev.bastion.common.Secret;
import dev.bastion.config.BackendSettings;
import dev.bastion.config.EngineSettings;
import dev.bastion.config.ModelSettings;
import dev.bastion.config.UpstreamTlsSettings;
import dev.bastion.governance.LocalArtifacts;
import dev.bastion.governance.RegistryEntry;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The built-in engine's models as ordinary backends: each configured GGUF file (optionally with a LoRA adapter on
 * top) is read (digest and metadata), served by its own supervised worker process, and reached over that worker's
 * Unix socket through the same OpenAI-compatible client as any other backend — to the router it is one more backend.
 * Serving is not routing: the registry decides whether a request may reach it ({@link #served()} lists what to
 * register).
 */
public final class LocalEngines implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalEngines.class.getName());

    private final List<EngineSupervisor> supervisors = new ArrayList<>();
    private final List<BackendSettings> backendSettings = new ArrayList<>();
    private final List<ModelSettings> models = new ArrayList<>();
    private final Map<String, ModelBackend> backends = new LinkedHashMap<>();
    private final List<Served> served = new ArrayList<>();

    /**
     * One served artifact, for registration: the base model, and the adapter applied on top when there is one.
     *
     * @param name    the registry name for the served artifact (the adapter's when there is one)
     * @param adapter the LoRA adapter, or null
     */
    public record Served(String name, RegistryEntry.Artifact base, String baseName, RegistryEntry.Artifact adapter) {}

    private LocalEngines() {}

    /**
     * Reads and starts every configured model's worker (without waiting for them to be ready).
     *
     * @param known the registry's record of a file, so a registered artifact is not hashed again at every start
     *              (the worker verifies the digest before it loads)
     */
    public static LocalEngines start(EngineSettings settings, Path dataDir,
                                     Function<Path, Optional<RegistryEntry.Artifact>> known) {
        LocalEngines engines = new LocalEngines();
        if (settings.models().isEmpty()) return engines;
        String classpath = settings.classpath() != null ? settings.classpath() : defaultClasspath();
        try {
            for (EngineSettings.Model m : settings.models()) engines.add(settings, m, known, dataDir, classpath);
        } catch (RuntimeException e) {
            engines.close();
            throw e;
        }
        return engines;
    }

    private void add(EngineSettings s, EngineSettings.Model m, Function<Path, Optional<RegistryEntry.Artifact>> known,
                     Path dataDir, String classpath) {
        String baseName = LocalArtifacts.nameFor(m.file());
        String name = m.name() != null ? m.name() : m.lora() != null ? LocalArtifacts.nameFor(m.lora()) : baseName;
        RegistryEntry.Artifact base = read(m.file(), known, RegistryEntry.Kind.MODEL);
        RegistryEntry.Artifact adapter = m.lora() == null ? null : read(m.lora(), known, RegistryEntry.Kind.ADAPTER);
        var l = s.lockdown();
        var sandbox = new WorkerSandbox.Settings(
                WorkerSandbox.Mode.valueOf(l.mode().toUpperCase(java.util.Locale.ROOT).replace('-', '_')),
                l.memoryBytes() / (1024 * 1024), l.cpus(), 512, l.user());
        Path runDir = WorkerSandbox.runDirectory(dataDir.resolve("engine").resolve(name), sandbox);
        LocalEngineConfig config = LocalEngineConfig.forArtifact(base.path(), base.sha256(), name, base.contextLength(),
                        runDir, classpath)
                .withSlots(s.threads(), Math.min(s.context(), contextOf(base, s.context())), s.parallel(), s.queue())
                .withIsolation(s.isolationRequired() ? LocalEngineConfig.Isolation.REQUIRED : LocalEngineConfig.Isolation.OFF)
                .withEmbeddings(s.embeddings());
        List<String> extra = new ArrayList<>(config.extraArgs());
        if (adapter != null) extra.addAll(List.of("--lora", adapter.path().toString(), "--lora-sha256", adapter.sha256()));
        config = new LocalEngineConfig(config.model(), config.sha256(), config.modelName(), config.runDir(),
                config.classpath(), config.javaBin(), s.heapMb(), config.threads(), config.contextSize(),
                config.parallel(), config.queue(), s.maxTokens(), config.isolation(), s.startTimeout(),
                config.initialBackoff(), config.maxBackoff(), config.stopGrace(), extra, config.livenessInterval());
        EngineSupervisor supervisor = new EngineSupervisor(config, sandbox);
        supervisors.add(supervisor);
        supervisor.start();
        served.add(new Served(name, base, baseName, adapter));

        String backendName = "local:" + name;
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("region", "local");
        // prompts never leave this host (an isolated worker on a private socket): approved for every level the
        // shipped policy names; policies with other labels can match on the engine label instead
        attributes.put("max_classification", "restricted");
        attributes.put("engine", "builtin");
        // what the registry binds this route to: the artifact served (the adapter, on top of this base)
        attributes.put("model_sha256", adapter != null ? adapter.sha256() : base.sha256());
        if (adapter != null) attributes.put("base_sha256", base.sha256());
        BackendSettings b = new BackendSettings(backendName, BackendSettings.Type.OPENAI,
                URI.create("http://localhost/v1"), Secret.NONE, Duration.ofSeconds(5), Duration.ofMinutes(10),
                s.parallel() + s.queue() + 1, attributes, UpstreamTlsSettings.DEFAULT);
        backendSettings.add(b);
        backends.put(backendName, OpenAiBackend.overUnixSocket(b, config.socket()));
        String alias = m.alias() != null ? m.alias() : name;
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("engine", "builtin");
        labels.put("architecture", String.valueOf(base.architecture()));
        labels.put("quantization", String.valueOf(base.quantization()));
        if (adapter != null) labels.put("adapter", "lora");
        models.add(new ModelSettings(alias, backendName, name, labels));
    }

    private static RegistryEntry.Artifact read(Path file, Function<Path, Optional<RegistryEntry.Artifact>> known,
                                               RegistryEntry.Kind kind) {
        Path abs = file.toAbsolutePath().normalize();
        Optional<RegistryEntry.Artifact> recorded = known.apply(abs);
        if (recorded.isPresent()) return recorded.get();
        try {
            LocalArtifacts.Read read = LocalArtifacts.read(abs, (done, total) -> { });
            if (read.kind() != kind) {
                throw new IllegalStateException("engine file " + abs + " is " + (kind == RegistryEntry.Kind.ADAPTER
                        ? "not a LoRA adapter" : "a LoRA adapter, not a model (give it as lora: beside its base)"));
            }
            return read.artifact();
        } catch (dev.bastion.pipeline.ProblemException e) {
            throw new IllegalStateException("engine file " + abs + " cannot be used: " + e.problem().message(), e);
        }
    }

    private static int contextOf(RegistryEntry.Artifact a, int fallback) {
        return a.contextLength() == null ? fallback : (int) Math.min(Integer.MAX_VALUE, a.contextLength());
    }

    /** The engine jar beside this installation ({@code bastion.home}, set by bin/bastion), else the working dir. */
    static String defaultClasspath() {
        Path home = Path.of(System.getProperty("bastion.home", "."));
        String jar = LocalEngineConfig.engineClasspath(home);
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("engine worker jar not found at " + jar
                    + " (build it with 'mvn -pl engine -am package' or set engine.classpath)");
        }
        return jar;
    }

    /** Waits (bounded) until every worker answers; returns the names that did not become ready. */
    public List<String> awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> notReady = new ArrayList<>();
        for (EngineSupervisor s : supervisors) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!s.awaitReady(Duration.ofNanos(left))) {
                notReady.add(s.config().modelName());
                LOG.warning("engine worker for " + s.config().modelName() + " is not ready: " + s.status().reason());
            }
        }
        return notReady;
    }

    public List<BackendSettings> backendSettings() { return backendSettings; }

    public List<ModelSettings> models() { return models; }

    public Map<String, ModelBackend> backends() { return backends; }

    public List<EngineSupervisor> supervisors() { return supervisors; }

    /** What the engines serve, for the registry. */
    public List<Served> served() { return served; }

    @Override
    public void close() {
        for (EngineSupervisor s : supervisors) s.close();
        for (ModelBackend b : backends.values()) b.close();
    }
}
