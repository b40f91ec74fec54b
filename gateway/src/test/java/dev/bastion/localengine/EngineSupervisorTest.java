package dev.bastion.localengine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.gguf.SyntheticLlamaModel;
import dev.bastion.gguf.ModelFileDigest;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.testing.TestFiles;
import dev.bastion.testing.WorkerInstall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The supervisor with a real worker process on a generated model. */
class EngineSupervisorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static Path model;
    private static String sha256;

    @BeforeAll
    static void model() throws Exception {
        dir = Files.createTempDirectory("bastion-supervisor");
        model = dir.resolve("tiny.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), model);
        sha256 = ModelFileDigest.sha256(model, (done, total) -> { });
        WorkerInstall.openUp(dir, model, "rw-r--r--");
    }

    @AfterAll
    static void cleanup() {
        TestFiles.deleteTree(dir);
    }

    private static LocalEngineConfig config(String runName) {
        return LocalEngineConfig.defaults(model, sha256, "tiny", dir.resolve(runName),
                        WorkerInstall.readableClasspath())
                .withSlots(1, 512, 1, 2)
                .withBackoff(Duration.ofMillis(50), Duration.ofSeconds(2));
    }

    @Test
    void workerCrashFailsTheRequestInFlightWith503AndTheWorkerComesBack() throws Exception {
        try (EngineSupervisor sup = new EngineSupervisor(config("crash"));
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            sup.start();
            assertThat(sup.awaitReady(Duration.ofSeconds(60))).as(log("crash")).isTrue();
            long firstPid = sup.status().pid();

            AtomicInteger chunks = new AtomicInteger();
            byte[] longStream = "{\"prompt\":\"The\",\"max_tokens\":480,\"stream\":true}".getBytes(StandardCharsets.UTF_8);
            CompletableFuture<Object> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return sup.call("POST", "/v1/completions", longStream, null, c -> chunks.incrementAndGet() > 0);
                } catch (ProblemException e) {
                    return e;
                }
            }, threads);
            await("stream under way", () -> chunks.get() > 2);

            ProcessHandle.of(firstPid).orElseThrow().destroyForcibly(); // kill -9
            Object outcome = inFlight.get(20, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOfSatisfying(ProblemException.class, e -> {
                assertThat(e.problem().code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
                assertThat(e.problem().status()).isEqualTo(503);
            });

            await("restarted and ready", () -> sup.status().restarts() == 1 && sup.ready());
            assertThat(sup.status().pid()).isNotEqualTo(firstPid).isPositive();
            assertThat(sup.status().lastExitCode()).isEqualTo(137);
            var r = sup.call("POST", "/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":2}".getBytes(StandardCharsets.UTF_8),
                    Duration.ofSeconds(30), null);
            assertThat(r.status()).isEqualTo(200);
        }
    }

    @Test
    void aWorkerThatStopsAnsweringIsKilledAndRestarted() throws Exception {
        try (EngineSupervisor sup = new EngineSupervisor(config("hung").withLiveness(Duration.ofMillis(200)))) {
            sup.start();
            assertThat(sup.awaitReady(Duration.ofSeconds(60))).as(log("hung")).isTrue();
            long pid = sup.status().pid();
            // SIGSTOP: alive but answering nothing, like a worker wedged in native code
            assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor()).isZero();
            await("hung worker replaced", () -> sup.status().restarts() == 1 && sup.ready());
            assertThat(sup.status().pid()).isNotEqualTo(pid);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    @Test
    void callsWhileNotReadyFailWith503() {
        try (EngineSupervisor sup = new EngineSupervisor(config("notready"))) {
            var thrown = org.assertj.core.api.Assertions.catchThrowableOfType(ProblemException.class,
                    () -> sup.call("GET", "/health", null, Duration.ofSeconds(1), null));
            assertThat(thrown.problem().code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE);
        }
    }

    @Test
    void wrongDigestIsAPermanentFailureNotARestartLoop() throws Exception {
        try (EngineSupervisor sup = new EngineSupervisor(config("digest").withSha256("ab".repeat(32)))) {
            sup.start();
            assertThat(sup.awaitReady(Duration.ofSeconds(60))).isFalse();
            EngineSupervisor.Status s = sup.status();
            assertThat(s.state()).isEqualTo(EngineSupervisor.State.FAILED);
            assertThat(s.restarts()).isZero();
            assertThat(s.lastExitCode()).isEqualTo(65);
            assertThat(s.reason()).contains("exit 65");
            assertThat(Files.readString(config("digest").logFile())).contains("differs from the expected");
        }
    }

    @Test
    void isolatedWorkerRunsDirectlyUnderUnshareAndCloseLeavesNothingBehind() throws Exception {
        EngineSupervisor sup = new EngineSupervisor(config("close"));
        sup.start();
        assertThat(sup.awaitReady(Duration.ofSeconds(60))).as(log("close")).isTrue();
        long pid = sup.status().pid();
        JsonNode health = JSON.readTree(sup.call("GET", "/health", null, Duration.ofSeconds(5), null).body());
        assertThat(health.path("isolated").asBoolean()).isTrue();
        assertThat(health.path("pid").asLong()).isEqualTo(pid); // no re-exec hop: unshare exec'd the worker
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();

        sup.close();
        assertThat(handle.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(ProcessHandle.current().descendants().filter(p -> p.pid() == pid).count()).isZero();
        assertThat(Files.exists(sup.config().socket())).isFalse();
        assertThat(sup.status().state()).isEqualTo(EngineSupervisor.State.STOPPED);
        assertThat(Files.readString(sup.config().logFile())).contains("engine stopped");
    }

    private static String log(String run) {
        try {
            return Files.readString(dir.resolve(run + ".log"));
        } catch (Exception e) {
            return "<no log>";
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            LockSupport.parkNanos(20_000_000);
        }
    }
}
