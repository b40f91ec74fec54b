package dev.bastion.localengine;

import dev.bastion.pipeline.ProblemException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the engine worker as a child process and keeps it running: waits until its socket answers {@code /health},
 * restarts it with exponential backoff when it dies (requests in flight then fail with 503
 * {@code backend_unavailable}), gives up on exits that mean "this will never work" (wrong digest, no isolation),
 * and stops it cleanly with the gateway. The worker also watches its stdin, a pipe from here: if the gateway is
 * killed outright, the pipe closes and the worker exits on its own.
 */
public final class EngineSupervisor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EngineSupervisor.class.getName());
    /** Worker exit codes that a restart cannot fix (see the engine's ExitCodes): usage, data, no input, isolation. */
    private static final List<Integer> PERMANENT = List.of(64, 65, 66, 69);
    /** A worker that stayed up this long counts as healthy: the next crash starts the backoff again. */
    private static final Duration STABLE = Duration.ofSeconds(30);
    /** Once ready, this many /health transport failures in a row mean "hung": kill it. */
    private static final int LIVENESS_FAILURES = 3;

    public enum State { STARTING, READY, BACKOFF, FAILED, STOPPED }

    /**
     * What the supervisor knows, for readiness checks and metrics.
     *
     * @param pid          the current worker's pid, or -1
     * @param restarts     launches after the first
     * @param lastExitCode exit code of the previous worker, or null
     * @param reason       why it is FAILED, else null
     */
    public record Status(State state, long pid, int restarts, Integer lastExitCode, String reason, Path socket,
                         Map<String, String> protections) {}

    private final LocalEngineConfig config;
    private final WorkerSandbox sandbox;
    private final UnixSocketHttpClient client;
    /** The protections the running worker reported (name → "holds: detail" / "MISSING: detail"). */
    private volatile Map<String, String> protections = Map.of();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "engine-supervisor");
        t.setDaemon(true);
        return t;
    });

    private State state = State.STOPPED;
    private Process process;
    private OutputStream lifeline;
    private long generation;
    private int restarts;
    private int consecutiveFailures;
    private long readySinceNanos;
    private Integer lastExitCode;
    private String reason;
    private ScheduledFuture<?> pendingRestart;
    private boolean closed;

    public EngineSupervisor(LocalEngineConfig config) {
        this(config, WorkerSandbox.Settings.defaults());
    }

    EngineSupervisor(LocalEngineConfig config, WorkerSandbox.Settings sandbox) {
        this.config = config;
        this.sandbox = new WorkerSandbox(sandbox);
        this.client = new UnixSocketHttpClient(config.socket());
    }

    /** Launches the worker; returns at once (see {@link #awaitReady}). */
    public synchronized void start() {
        if (closed) throw new IllegalStateException("supervisor closed");
        if (state != State.STOPPED) return;
        boolean plainUnshare = sandbox.settings().mode() == WorkerSandbox.Mode.OFF;
        if (plainUnshare && config.isolation() == LocalEngineConfig.Isolation.REQUIRED && !isolationAvailable()) {
            fail("network isolation is required but unshare --net is not available here");
            return;
        }
        try {
            Files.createDirectories(config.runDir());
        } catch (IOException e) {
            fail("cannot create the engine's run directory: " + e.getClass().getSimpleName());
            return;
        }
        String refused = sandbox.prepare(config);
        if (refused != null) {
            fail("engine worker sandbox: " + refused);
            return;
        }
        launch();
    }

    /** Waits until the worker is ready, or until it is clear it will not be (FAILED, STOPPED) or time runs out. */
    public synchronized boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (state != State.READY) {
            if (state == State.FAILED || state == State.STOPPED) return false;
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    public synchronized Status status() {
        long pid = process != null && process.isAlive() ? process.pid() : -1;
        return new Status(state, pid, restarts, lastExitCode, reason, config.socket(), protections);
    }

    public synchronized boolean ready() { return state == State.READY; }

    public LocalEngineConfig config() { return config; }

    /** The worker's cgroup, or null when it runs without one (tests read its counters). */
    WorkerCgroup cgroup() { return sandbox.cgroup(); }

    /**
     * Calls the worker. Fails with 503 {@code backend_unavailable} while it is not ready, and when it dies during
     * the call.
     */
    public UnixSocketHttpClient.Response call(String method, String path, byte[] jsonBody, Duration timeout,
                                              UnixSocketHttpClient.ChunkSink sink) {
        if (!ready()) throw UnixSocketHttpClient.unavailable("the local engine is not ready");
        return client.exchange(method, path, jsonBody, timeout, sink);
    }

    private void launch() {
        long gen = ++generation;
        try {
            dev.bastion.common.PrivateFiles.directories(config.runDir());
            Files.setPosixFilePermissions(config.runDir(), PosixFilePermissions.fromString("rwx------"));
            Files.deleteIfExists(config.socket());
            // sh, setpriv and unshare all exec: the pid stays the worker's
            List<String> cmd = sandbox.command(config);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(config.runDir().toFile())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(config.logFile().toFile()));
            pb.environment().remove("BASTION_ENGINE_UNSHARED");
            sandbox.environment(pb.environment());
            process = pb.start();
            lifeline = process.getOutputStream();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot launch the engine worker: {0}", e.getClass().getSimpleName());
            scheduleRestart(gen, null);
            return;
        }
        state = State.STARTING;
        notifyAll();
        Process p = process;
        p.onExit().thenAccept(done -> exited(gen, done.exitValue()));
        Thread.ofVirtual().name("engine-probe").start(() -> probe(gen, p));
    }

    /**
     * Polls /health until the worker answers, exits, or misses the start timeout (then it is killed); afterwards
     * keeps checking that it still answers at all (any HTTP status counts) and kills a worker that stopped
     * answering, so the normal restart path takes over.
     */
    private void probe(long gen, Process p) {
        if (!awaitHealthy(gen, p)) return;
        int failures = 0;
        while (p.isAlive()) {
            try {
                Thread.sleep(config.livenessInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (gen != generation || closed) return;
            }
            try {
                client.send("GET", "/health", null, config.livenessInterval());
                failures = 0;
            } catch (ProblemException e) {
                if (++failures >= LIVENESS_FAILURES && p.isAlive()) {
                    LOG.warning("engine worker stopped answering /health; killing it");
                    p.destroyForcibly();
                }
            }
        }
    }

    /** @return true once ready */
    private boolean awaitHealthy(long gen, Process p) {
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) {
            synchronized (this) {
                if (gen != generation || closed) return false;
            }
            if (Files.exists(config.socket())) {
                try {
                    if (client.send("GET", "/health", null, Duration.ofSeconds(2)).status() == 200) {
                        ready(gen);
                        return true;
                    }
                } catch (ProblemException e) {
                    // not yet listening
                }
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                return false;
            }
        }
        if (p.isAlive()) {
            LOG.warning("engine worker did not become healthy in " + config.startTimeout() + "; killing it");
            p.destroyForcibly();
        }
        return false;
    }

    private synchronized void ready(long gen) {
        if (gen != generation || closed) return;
        state = State.READY;
        readySinceNanos = System.nanoTime();
        LOG.info("engine worker ready (pid " + process.pid() + ")");
        notifyAll();
        Thread.ofVirtual().name("engine-lockdown-report").start(this::reportProtections);
    }

    /** Asks the worker what holds (GET /lockdown) and logs each protection: INFO when it holds, else WARNING. */
    private void reportProtections() {
        Map<String, String> seen = new java.util.LinkedHashMap<>();
        try {
            var answer = client.send("GET", "/lockdown", null, Duration.ofSeconds(5));
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
            json.properties().forEach(e -> {
                boolean holds = e.getValue().path("holds").asBoolean(false);
                String line = (holds ? "holds: " : "MISSING: ") + e.getValue().path("detail").asText();
                seen.put(e.getKey(), line);
                LOG.log(holds ? Level.INFO : Level.WARNING, "engine worker protection " + e.getKey() + " " + line);
            });
        } catch (RuntimeException | IOException e) {
            LOG.warning("engine worker did not report its protections (" + e.getClass().getSimpleName() + ")");
        }
        sandbox.problems().forEach(p -> seen.put("sandbox", "MISSING: " + p));
        protections = Map.copyOf(seen);
    }

    private synchronized void exited(long gen, int code) {
        if (gen != generation) return;
        lastExitCode = code;
        if (closed) {
            state = State.STOPPED;
            notifyAll();
            return;
        }
        if (PERMANENT.contains(code)) {
            fail("engine worker refused to start (exit " + code + "; see " + config.logFile() + ")");
            return;
        }
        LOG.warning("engine worker exited with " + code + "; restarting");
        scheduleRestart(gen, code);
    }

    private void scheduleRestart(long gen, Integer code) {
        boolean wasStable = state == State.READY && System.nanoTime() - readySinceNanos > STABLE.toNanos();
        consecutiveFailures = wasStable ? 0 : consecutiveFailures + 1;
        long delay = Math.min(config.maxBackoff().toMillis(),
                config.initialBackoff().toMillis() << Math.min(20, Math.max(0, consecutiveFailures - 1)));
        state = State.BACKOFF;
        notifyAll();
        pendingRestart = scheduler.schedule(() -> {
            synchronized (this) {
                if (closed || gen != generation) return;
                restarts++;
                launch();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void fail(String why) {
        state = State.FAILED;
        reason = why;
        LOG.severe(why);
        notifyAll();
    }

    /** Stops the worker: SIGTERM, then SIGKILL after the grace period; no restart afterwards. */
    @Override
    public void close() {
        Process p;
        synchronized (this) {
            if (closed) return;
            closed = true;
            if (pendingRestart != null) pendingRestart.cancel(false);
            p = process;
        }
        if (p != null && p.isAlive()) {
            List<ProcessHandle> family = p.descendants().toList();
            p.destroy();
            try {
                if (!p.waitFor(config.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warning("engine worker ignored SIGTERM; killing it");
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            family.forEach(ProcessHandle::destroyForcibly);
        }
        try {
            if (lifeline != null) lifeline.close();
            Files.deleteIfExists(config.socket());
        } catch (IOException ignored) {
            // best effort
        }
        scheduler.shutdownNow();
        sandbox.close();
        synchronized (this) {
            state = State.STOPPED;
            notifyAll();
        }
    }

    private static String unshare() {
        for (String p : List.of("/usr/bin/unshare", "/bin/unshare")) if (Files.isExecutable(Path.of(p))) return p;
        return "unshare";
    }

    /** unshare --net needs CAP_SYS_ADMIN (root) or user namespaces; try it once rather than guess. */
    static boolean isolationAvailable() {
        try {
            // runs unshare itself inside: the OCI image has no coreutils (`true`)
            Process p = new ProcessBuilder(unshare(), "--net", "--", unshare(), "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
