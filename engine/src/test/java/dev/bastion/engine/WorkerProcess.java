package dev.bastion.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real worker process started from the test classpath, its socket and its log. */
final class WorkerProcess implements AutoCloseable {
    final Process process;
    final Path socket;
    final Path log;
    final Path dir;

    private WorkerProcess(Process process, Path socket, Path log, Path dir) {
        this.process = process;
        this.socket = socket;
        this.log = log;
        this.dir = dir;
    }

    /** Starts a worker on the tiny model with the given extra options (they override the defaults). */
    static WorkerProcess start(Map<String, String> env, String... options) throws IOException {
        Path dir = Files.createTempDirectory("bastion-worker");
        Path socket = dir.resolve("engine.sock");
        Path log = dir.resolve("engine.log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), EngineMain.class.getName(),
                "--model", TestModels.tiny().toString(), "--sha256", TestModels.tinySha256(),
                "--socket", socket.toString(), "--model-name", "tiny", "--threads", "1", "--ctx", "512",
                "--exit-on-stdin-eof", "true"));
        cmd.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new WorkerProcess(pb.start(), socket, log, dir);
    }

    static WorkerProcess start(String... options) throws IOException {
        return start(Map.of(), options);
    }

    /** Waits until /health answers 200; fails fast (with the log) if the process exits first. */
    WorkerProcess awaitHealthy() {
        Await.until("worker health", Duration.ofSeconds(30), () -> {
            if (!process.isAlive()) throw new AssertionError("worker exited " + process.exitValue() + ":\n" + log());
            if (!Files.exists(socket)) return false;
            try {
                return UdsClient.once(socket, "GET", "/health", null).status() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("worker did not exit:\n" + log());
        return process.exitValue();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "<no log>";
        }
    }

    @Override
    public void close() throws Exception {
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        for (ProcessHandle p : family) p.destroyForcibly();
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
    }
}
