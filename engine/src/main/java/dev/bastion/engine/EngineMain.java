package dev.bastion.engine;

import dev.bastion.gguf.GgufFile;
import dev.bastion.gguf.GgufFormatException;
import dev.bastion.gguf.GgufLimits;
import dev.bastion.gguf.GgufReader;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The worker process: verifies it has no network (when required), verifies the model's digest, loads it, serves
 * the OpenAI API on a Unix socket, and on SIGTERM or stdin EOF shuts down in order and halts — the binding leaves
 * a non-daemon native thread behind that would otherwise keep the JVM alive.
 */
public final class EngineMain {
    private static final Logger LOG = Logger.getLogger("dev.bastion.engine");
    private static final AtomicBoolean STOPPING = new AtomicBoolean();
    /** Returned by {@link #run} when the server is up: the process lives on until shutdown halts it. */
    static final int RUNNING = -1;

    private EngineMain() {}

    public static void main(String[] args) {
        NativeOutput.redirectStdoutToStderr();
        configureLogging();
        int code;
        try {
            code = run(args);
        } catch (Throwable t) {
            LOG.log(Level.SEVERE, "engine failed: {0}", t.getClass().getName());
            code = ExitCodes.SOFTWARE;
        }
        if (code != RUNNING) Runtime.getRuntime().halt(code);
    }

    /** @return an exit code to halt with, or {@link #RUNNING} once the server runs (shutdown halts on its own) */
    static int run(String[] args) throws IOException, InterruptedException {
        EngineConfig config;
        try {
            config = EngineConfig.parse(args);
        } catch (EngineConfig.UsageException e) {
            LOG.severe("usage: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        boolean isolated = NetworkIsolation.isolated();
        if (config.network() == EngineConfig.Network.ISOLATED && !isolated) {
            if (!NetworkIsolation.reexecuted() && NetworkIsolation.unshareBinary().isPresent()) {
                LOG.info("network interfaces present; re-executing in a new network namespace");
                return NetworkIsolation.reexecIsolated();
            }
            LOG.severe("refusing to start: network isolation is required but interfaces "
                    + NetworkIsolation.nonLoopbackInterfaces() + " are reachable");
            return ExitCodes.UNAVAILABLE;
        }
        if (!Files.isRegularFile(config.model()) || !Files.isReadable(config.model())) {
            LOG.severe("model file not found or not readable");
            return ExitCodes.NO_INPUT;
        }
        var before = ModelDigest.Identity.of(config.model());
        String actual = ModelDigest.sha256(config.model());
        if (!ModelDigest.matches(config.sha256(), actual)) {
            LOG.severe("refusing to load: model digest " + actual + " differs from the expected " + config.sha256());
            return ExitCodes.DATA_ERROR;
        }
        var loraBefore = config.lora() == null ? null : ModelDigest.Identity.of(config.lora());
        if (config.lora() != null) {
            if (!Files.isRegularFile(config.lora()) || !Files.isReadable(config.lora())) {
                LOG.severe("adapter file not found or not readable");
                return ExitCodes.NO_INPUT;
            }
            String adapter = ModelDigest.sha256(config.lora());
            if (!ModelDigest.matches(config.loraSha256(), adapter)) {
                LOG.severe("refusing to load: adapter digest " + adapter + " differs from the expected " + config.loraSha256());
                return ExitCodes.DATA_ERROR;
            }
        }
        GgufFile meta;
        try {
            meta = GgufReader.read(config.model(), GgufLimits.scalarsOnly());
        } catch (GgufFormatException e) {
            LOG.severe("refusing to load: not a usable GGUF file (" + e.reason() + ")");
            return ExitCodes.DATA_ERROR;
        }
        LlamaEngine.usePrivateNativeDirectory();
        LlamaEngine engine;
        try {
            engine = LlamaEngine.load(config.model(), config.lora(), config.threads(), config.contextSize(),
                    config.parallel(), config.embeddings(), config.mmap(), config.nativeLogs());
        } catch (RuntimeException e) {
            LOG.severe("llama.cpp could not load the model (" + e.getClass().getSimpleName() + ")");
            return ExitCodes.DATA_ERROR;
        }
        if (!before.sameAs(ModelDigest.Identity.of(config.model()))
                || loraBefore != null && !loraBefore.sameAs(ModelDigest.Identity.of(config.lora()))) {
            LOG.severe("refusing to serve: the model file changed while it was being verified and loaded");
            engine.close();
            return ExitCodes.DATA_ERROR;
        }
        var info = new OpenAiRoutes.ModelInfo(config.modelName(), actual, meta.architecture().orElse("unknown"),
                meta.quantization(), meta.contextLength().orElse(0), isolated);
        Lockdown.Report lockdown = Lockdown.apply(config.lockdown(), config.socket().toAbsolutePath().getParent());
        for (Lockdown.Protection p : lockdown.protections()) {
            LOG.log(p.holds() ? Level.INFO : Level.WARNING, "protection " + p.name() + (p.holds() ? " holds: "
                    : " MISSING: ") + p.detail());
        }
        if (config.lockdown() == Lockdown.Mode.REQUIRED && !lockdown.missing().isEmpty()) {
            LOG.severe("refusing to serve: required protections missing: "
                    + lockdown.missing().stream().map(Lockdown.Protection::name).toList());
            engine.close();
            return ExitCodes.UNAVAILABLE;
        }
        var routes = new OpenAiRoutes(engine, config, info, lockdown);
        var server = new UdsHttpServer(config.socket(), config.maxConnections(),
                new HttpParser(16 * 1024, 100, config.maxBodyBytes()), routes, config.idleTimeoutMillis(),
                config.requestTimeoutMillis());
        // the first caller (SIGTERM hook or stdin watchdog) runs the orderly stop; Process.destroy() in the
        // supervisor sends SIGTERM and closes our stdin at once, so both race here
        var stopped = new java.util.concurrent.CountDownLatch(1);
        java.util.function.BooleanSupplier shutdown = () -> {
            if (!STOPPING.compareAndSet(false, true)) {
                try { // the other path is stopping: wait for it, so neither halts before the orderly close is done
                    stopped.await(15, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
            routes.stopAccepting();
            server.close();
            engine.close();
            // not through java.util.logging: its own shutdown hook may already have closed the handlers
            System.err.println("engine stopped");
            System.err.flush();
            stopped.countDown();
            return true;
        };
        // SIGTERM: orderly close, then halt with 0 so a requested stop is not reported as a crash
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shutdown.getAsBoolean();
            Runtime.getRuntime().halt(ExitCodes.OK);
        }, "engine-shutdown"));
        server.start();
        LOG.info("engine ready: model=" + config.modelName() + " isolated=" + isolated + " parallel="
                + config.parallel() + " queue=" + config.queue());
        if (config.exitOnStdinEof()) {
            Thread watchdog = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // the supervisor never writes; any byte is ignored
                    }
                } catch (IOException ignored) {
                    // treat like EOF
                }
                if (shutdown.getAsBoolean()) System.err.println("engine: standard input closed (supervisor gone)");
                Runtime.getRuntime().halt(ExitCodes.OK);
            }, "engine-stdin-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }
        return RUNNING;
    }

    private static void configureLogging() {
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) root.removeHandler(h);
        ConsoleHandler h = new ConsoleHandler(); // writes to stderr
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        h.setFormatter(new SimpleFormatter());
        h.setLevel(Level.ALL);
        root.addHandler(h);
        root.setLevel(Level.INFO);
    }
}
