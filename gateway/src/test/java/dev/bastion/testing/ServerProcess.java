package dev.bastion.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bastion as a separate OS process — {@code java dev.bastion.cli.Main serve --config FILE} on the test classpath —
 * for tests that kill the server (SIGKILL) or run several servers on one store. Waits until the server says it is
 * serving and captures what it printed: the bootstrap admin key (first start only), the audit verifier key and the
 * base URI. Its log (stderr) goes to a file, shown by {@link #log()} when a test needs to explain a failure.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern KEY = Pattern.compile("(bst_[a-z2-7]{12}_[A-Za-z0-9_-]{43})");
    private static final Pattern SERVING = Pattern.compile("Bastion is serving on (\\S+) ");
    private static final String VKEY = "Audit log verifier key: ";

    private final Process process;
    private final Path logFile;
    private final List<String> out = new ArrayList<>();
    private final CompletableFuture<URI> serving = new CompletableFuture<>();

    private ServerProcess(Process process, Path logFile) {
        this.process = process;
        this.logFile = logFile;
        Thread.ofPlatform().daemon(true).name("server-process-stdout").start(this::readStdout);
        process.onExit().thenRun(() -> serving.completeExceptionally(
                new IllegalStateException("server exited with " + process.exitValue() + " before serving:\n" + log())));
    }

    /** Starts a server on {@code configFile} and waits (at most {@code timeout}) until it serves. */
    public static ServerProcess start(Path configFile, Duration timeout) throws IOException {
        return launch(configFile).awaitServing(timeout);
    }

    /** Waits until the server serves; kills it and throws with its log if it does not within {@code timeout}. */
    public ServerProcess awaitServing(Duration timeout) {
        try {
            serving.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return this;
        } catch (TimeoutException e) {
            String log = log();
            close();
            throw new IllegalStateException("server did not start within " + timeout + ":\n" + log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while waiting for the server", e);
        } catch (java.util.concurrent.ExecutionException e) {
            close();
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Starts a server without waiting for it (for tests that expect it to refuse to start). */
    public static ServerProcess launch(Path configFile) throws IOException {
        return launch(configFile, List.of());
    }

    /** Starts a server under a command prefix, e.g. {@code ip netns exec NAME} to run it in a network namespace. */
    public static ServerProcess launch(Path configFile, List<String> prefix) throws IOException {
        Files.writeString(configFile, GovernanceDefaults.servesUnregistered(Files.readString(configFile)));
        Path log = Files.createTempFile("bastion-server", ".log");
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), "dev.bastion.cli.Main", "serve",
                "--config", configFile.toString()));
        Process process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        process.getOutputStream().close();
        return new ServerProcess(process, log);
    }

    private void readStdout() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (out) {
                    out.add(line);
                }
                Matcher m = SERVING.matcher(line);
                if (m.find()) serving.complete(URI.create(m.group(1)));
            }
        } catch (IOException e) {
            // the process died; onExit reports it
        }
    }

    public URI base() { return serving.join(); }

    /** What the server printed on stdout so far. */
    public String stdout() {
        synchronized (out) {
            return String.join("\n", out);
        }
    }

    /** The bootstrap admin key, printed on the very first start of a store only. */
    public String adminKey() {
        Matcher m = KEY.matcher(stdout());
        return m.find() ? m.group(1) : null;
    }

    public String auditVerifierKey() {
        return stdout().lines().filter(l -> l.startsWith(VKEY)).findFirst()
                .map(l -> l.substring(VKEY.length()).trim()).orElseThrow();
    }

    public long pid() { return process.pid(); }

    public boolean isAlive() { return process.isAlive(); }

    /** Waits for the process to exit on its own; returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("server still running after " + timeout);
        }
        return process.exitValue();
    }

    /** SIGTERM: the server drains (running requests and streams finish) and exits; does not wait for it. */
    public void terminate() { process.destroy(); }

    /** SIGKILL: no shutdown hook, no draining, no flushing — a crash. Returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The server's log (stderr) so far. */
    public String log() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(logFile);
        } catch (IOException ignored) {
            // a temp file; nothing depends on it
        }
    }
}
