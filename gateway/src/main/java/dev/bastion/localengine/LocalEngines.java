package dev.bastion.localengine;

import dev.bastion.backend.ModelBackend;
import dev.bastion.backend.OpenAiBackend;
import dev.bastion.common.Secret;
import dev.bastion.config.BackendSettings;
import dev.bastion.config.EngineSettings;
import dev.bastion.config.ModelSettings;
import dev.bastion.config.UpstreamTlsSettings;
import dev.bastion.models.ImportedModel;
import dev.bastion.models.ModelImportException;
import dev.bastion.models.ModelImporter;
import dev.bastion.models.ModelStore;
import dev.bastion.store.Database;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The built-in engine's models as ordinary backends: each configured GGUF file is imported (digest and metadata
 * recorded), served by its own supervised worker process, and reached over that worker's Unix socket through the
 * same OpenAI-compatible client as any other backend — to the router it is one more backend.
 */
public final class LocalEngines implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalEngines.class.getName());

    private final List<EngineSupervisor> supervisors = new ArrayList<>();
    private final List<BackendSettings> backendSettings = new ArrayList<>();
    private final List<ModelSettings> models = new ArrayList<>();
    private final Map<String, ModelBackend> backends = new LinkedHashMap<>();

    private LocalEngines() {}

    /** Imports and starts every configured model's worker (without waiting for them to be ready). */
    public static LocalEngines start(EngineSettings settings, Database db, Path dataDir, Clock clock) {
        LocalEngines engines = new LocalEngines();
        if (settings.models().isEmpty()) return engines;
        String classpath = settings.classpath() != null ? settings.classpath() : defaultClasspath();
        ModelImporter importer = new ModelImporter(new ModelStore(db), clock);
        try {
            for (EngineSettings.Model m : settings.models()) engines.add(settings, m, importer, dataDir, classpath);
        } catch (RuntimeException e) {
            engines.close();
            throw e;
        }
        return engines;
    }

    private void add(EngineSettings s, EngineSettings.Model m, ModelImporter importer, Path dataDir, String classpath) {
        String name = m.name() != null ? m.name() : ModelImporter.nameFor(m.file());
        ImportedModel imported;
        try {
            imported = importer.ensureImported(m.file(), name, "serve", (done, total) -> { });
        } catch (ModelImportException e) {
            throw new IllegalStateException("engine model " + m.file() + " cannot be imported: " + e.getMessage(), e);
        }
        var l = s.lockdown();
        var sandbox = new WorkerSandbox.Settings(
                WorkerSandbox.Mode.valueOf(l.mode().toUpperCase(java.util.Locale.ROOT).replace('-', '_')),
                l.memoryBytes() / (1024 * 1024), l.cpus(), 512, l.user());
        Path runDir = WorkerSandbox.runDirectory(dataDir.resolve("engine").resolve(name), sandbox);
        LocalEngineConfig config = LocalEngineConfig.forImported(imported, runDir, classpath)
                .withSlots(s.threads(), Math.min(s.context(), contextOf(imported, s.context())), s.parallel(), s.queue())
                .withIsolation(s.isolationRequired() ? LocalEngineConfig.Isolation.REQUIRED : LocalEngineConfig.Isolation.OFF)
                .withEmbeddings(s.embeddings());
        config = new LocalEngineConfig(config.model(), config.sha256(), config.modelName(), config.runDir(),
                config.classpath(), config.javaBin(), s.heapMb(), config.threads(), config.contextSize(),
                config.parallel(), config.queue(), s.maxTokens(), config.isolation(), s.startTimeout(),
                config.initialBackoff(), config.maxBackoff(), config.stopGrace(), config.extraArgs(),
                config.livenessInterval());
        EngineSupervisor supervisor = new EngineSupervisor(config, sandbox);
        supervisors.add(supervisor);
        supervisor.start();

        String backendName = "local:" + name;
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("region", "local");
        // prompts never leave this host (an isolated worker on a private socket): approved for every level the
        // shipped policy names; policies with other labels can match on the engine label instead
        attributes.put("max_classification", "restricted");
        attributes.put("engine", "builtin");
        attributes.put("model_sha256", imported.sha256());
        BackendSettings b = new BackendSettings(backendName, BackendSettings.Type.OPENAI,
                URI.create("http://localhost/v1"), Secret.NONE, Duration.ofSeconds(5), Duration.ofMinutes(10),
                s.parallel() + s.queue() + 1, attributes, UpstreamTlsSettings.DEFAULT);
        backendSettings.add(b);
        backends.put(backendName, OpenAiBackend.overUnixSocket(b, config.socket()));
        String alias = m.alias() != null ? m.alias() : name;
        models.add(new ModelSettings(alias, backendName, name,
                Map.of("engine", "builtin", "architecture", String.valueOf(imported.architecture()),
                        "quantization", String.valueOf(imported.quantization()))));
    }

    private static int contextOf(ImportedModel m, int fallback) {
        return m.contextLength() == null ? fallback : (int) Math.min(Integer.MAX_VALUE, m.contextLength());
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

    @Override
    public void close() {
        for (EngineSupervisor s : supervisors) s.close();
        for (ModelBackend b : backends.values()) b.close();
    }
}
