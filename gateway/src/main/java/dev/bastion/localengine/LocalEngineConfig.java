package dev.bastion.localengine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run one engine worker: which model (and the digest it must have), where its socket and log live, and the
 * bounds it runs under.
 *
 * @param runDir     private directory (made owner-only, the worker's own) holding {@code engine.sock}; the log is
 *                   its sibling {@code <runDir>.log}, out of the worker's reach
 * @param classpath  the engine's classpath, e.g. {@code <home>/engine/target/bastion-engine.jar}
 * @param javaBin    the java launcher for the worker
 * @param heapMb     worker -Xmx; model weights and KV cache are native memory, bounded by the model and context
 * @param isolation  REQUIRED: the worker is started in a fresh network namespace and must see only loopback
 * @param extraArgs  further worker options ({@code --max-body}, {@code --embeddings false}, …)
 * @param livenessInterval once ready, how often /health is checked; three transport failures in a row (a hung
 *                   worker) get it killed and restarted
 */
public record LocalEngineConfig(Path model, String sha256, String modelName, Path runDir, String classpath,
                                Path javaBin, int heapMb, int threads, int contextSize, int parallel, int queue,
                                int maxTokens, Isolation isolation, Duration startTimeout, Duration initialBackoff,
                                Duration maxBackoff, Duration stopGrace, List<String> extraArgs,
                                Duration livenessInterval) {

    public enum Isolation { REQUIRED, OFF }

    public LocalEngineConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(classpath, "classpath");
        // the worker runs in its own run directory, not the gateway's working directory (which its unprivileged
        // user may not even be allowed to stat): every path it is given must stand on its own
        model = model.toAbsolutePath();
        runDir = runDir.toAbsolutePath();
        classpath = java.util.Arrays.stream(classpath.split(java.io.File.pathSeparator))
                .map(e -> e.isEmpty() ? e : Path.of(e).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        List<String> args = new java.util.ArrayList<>(extraArgs);
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("--lora")) args.set(i + 1, Path.of(args.get(i + 1)).toAbsolutePath().toString());
        }
        extraArgs = List.copyOf(args);
    }

    /** Defaults for one model: 2 threads, 4096-token context, one slot, a queue of 8, isolation required. */
    public static LocalEngineConfig defaults(Path model, String sha256, String modelName, Path runDir,
                                             String classpath) {
        return new LocalEngineConfig(model, sha256, modelName, runDir, classpath,
                Path.of(System.getProperty("java.home"), "bin", "java"), 256,
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), 4096, 1, 8, 4096,
                Isolation.REQUIRED, Duration.ofSeconds(120), Duration.ofMillis(250), Duration.ofSeconds(30),
                Duration.ofSeconds(10), List.of(), Duration.ofSeconds(5));
    }

    /**
     * Defaults for a registered artifact: its file, digest and name; context capped at the trained length.
     *
     * @param contextLength the trained context length, or null when the file does not say
     */
    public static LocalEngineConfig forArtifact(Path file, String sha256, String name, Long contextLength, Path runDir,
                                                String classpath) {
        LocalEngineConfig c = defaults(file, sha256, name, runDir, classpath);
        int ctx = contextLength == null ? c.contextSize() : (int) Math.min(c.contextSize(), contextLength);
        return c.withSlots(c.threads(), ctx, c.parallel(), c.queue());
    }

    /** The engine jar of a source checkout or distribution rooted at {@code home}. */
    public static String engineClasspath(Path home) {
        return home.resolve("engine/target/bastion-engine.jar").toString();
    }

    public Path socket() { return runDir.resolve("engine.sock"); }

    /** Beside the run directory, not in it: the worker can write there, and must not plant a link for the log. */
    public Path logFile() { return runDir.resolveSibling(runDir.getFileName() + ".log"); }

    public LocalEngineConfig withIsolation(Isolation i) {
        return new LocalEngineConfig(model, sha256, modelName, runDir, classpath, javaBin, heapMb, threads,
                contextSize, parallel, queue, maxTokens, i, startTimeout, initialBackoff, maxBackoff, stopGrace,
                extraArgs, livenessInterval);
    }

    public LocalEngineConfig withSlots(int newThreads, int newContext, int newParallel, int newQueue) {
        return new LocalEngineConfig(model, sha256, modelName, runDir, classpath, javaBin, heapMb, newThreads,
                newContext, newParallel, newQueue, maxTokens, isolation, startTimeout, initialBackoff, maxBackoff,
                stopGrace, extraArgs, livenessInterval);
    }

    public LocalEngineConfig withBackoff(Duration initial, Duration max) {
        return new LocalEngineConfig(model, sha256, modelName, runDir, classpath, javaBin, heapMb, threads,
                contextSize, parallel, queue, maxTokens, isolation, startTimeout, initial, max, stopGrace,
                extraArgs, livenessInterval);
    }

    public LocalEngineConfig withSha256(String digest) {
        return new LocalEngineConfig(model, digest, modelName, runDir, classpath, javaBin, heapMb, threads,
                contextSize, parallel, queue, maxTokens, isolation, startTimeout, initialBackoff, maxBackoff,
                stopGrace, extraArgs, livenessInterval);
    }

    /** Serve /v1/embeddings too (off by default: llama.cpp's embedding mode slows generation down). */
    public LocalEngineConfig withEmbeddings(boolean on) {
        var args = new java.util.ArrayList<>(extraArgs);
        args.addAll(List.of("--embeddings", Boolean.toString(on)));
        return withExtraArgs(args);
    }

    public LocalEngineConfig withExtraArgs(List<String> args) {
        return new LocalEngineConfig(model, sha256, modelName, runDir, classpath, javaBin, heapMb, threads,
                contextSize, parallel, queue, maxTokens, isolation, startTimeout, initialBackoff, maxBackoff,
                stopGrace, args, livenessInterval);
    }

    public LocalEngineConfig withLiveness(Duration interval) {
        return new LocalEngineConfig(model, sha256, modelName, runDir, classpath, javaBin, heapMb, threads,
                contextSize, parallel, queue, maxTokens, isolation, startTimeout, initialBackoff, maxBackoff,
                stopGrace, extraArgs, interval);
    }

    /** The worker's command line (without the unshare prefix). */
    List<String> workerCommand() {
        var cmd = new java.util.ArrayList<>(List.of(javaBin.toString(),
                "-Xmx" + heapMb + "m", "-Xss1m", "-XX:MaxDirectMemorySize=64m", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED",
                "-cp", classpath, "dev.bastion.engine.EngineMain",
                "--model", model.toString(), "--sha256", sha256, "--model-name", modelName,
                "--socket", socket().toString(), "--threads", Integer.toString(threads),
                "--ctx", Integer.toString(contextSize), "--parallel", Integer.toString(parallel),
                "--queue", Integer.toString(queue), "--max-tokens", Integer.toString(maxTokens),
                "--network", isolation == Isolation.REQUIRED ? "isolated" : "host",
                "--exit-on-stdin-eof", "true"));
        cmd.addAll(extraArgs);
        return cmd;
    }
}
