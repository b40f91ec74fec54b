package dev.bastion.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Starting, refusing, isolating, bounding and stopping real worker processes. */
class WorkerLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void refusesAModelWhoseDigestDiffers() throws Exception {
        try (WorkerProcess w = WorkerProcess.start("--network", "host", "--sha256", "00".repeat(32))) {
            assertThat(w.awaitExit()).isEqualTo(ExitCodes.DATA_ERROR);
            assertThat(w.log()).contains("differs from the expected");
            assertThat(Files.exists(w.socket)).isFalse();
        }
    }

    @Test
    void refusesAFileThatIsNotGguf() throws Exception {
        Path bogus = Files.createTempFile("bogus", ".gguf");
        Files.writeString(bogus, "not a model at all");
        try (WorkerProcess w = WorkerProcess.start("--network", "host", "--model", bogus.toString(),
                "--sha256", ModelDigest.sha256(bogus))) {
            assertThat(w.awaitExit()).isEqualTo(ExitCodes.DATA_ERROR);
        } finally {
            Files.delete(bogus);
        }
    }

    @Test
    void isolatedWorkerRunsInItsOwnNetworkNamespaceWithOnlyLoopback() throws Exception {
        assumeTrue(!NetworkIsolation.nonLoopbackInterfaces().isEmpty(), "test JVM has no network to leave");
        try (WorkerProcess w = WorkerProcess.start("--network", "isolated").awaitHealthy()) {
            JsonNode h = JSON.readTree(UdsClient.once(w.socket, "GET", "/health", null).body());
            assertThat(h.path("isolated").asBoolean()).isTrue();
            long pid = h.path("pid").asLong();
            Path theirs = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net"));
            Path ours = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
            assertThat(theirs).isNotEqualTo(ours);
            // from outside: the worker's namespace lists no interface but lo
            List<String> ifaces = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", "dev")).stream()
                    .skip(2).map(l -> l.strip().split(":")[0]).toList();
            assertThat(ifaces).containsExactly("lo");
        }
    }

    @Test
    void refusesToRunNetworkedWhenIsolationIsRequiredAndUnavailable() throws Exception {
        assumeTrue(!NetworkIsolation.nonLoopbackInterfaces().isEmpty(), "test JVM has no network to leave");
        // the marker says "already re-executed": with interfaces still visible, the worker must give up
        try (WorkerProcess w = WorkerProcess.start(Map.of(NetworkIsolation.REEXEC_MARKER, "1"),
                "--network", "isolated")) {
            assertThat(w.awaitExit()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(w.log()).contains("refusing to start");
            assertThat(Files.exists(w.socket)).isFalse();
        }
    }

    @Test
    void sigtermStopsInOrderAndLeavesNoProcessOrSocket() throws Exception {
        try (WorkerProcess w = WorkerProcess.start("--network", "isolated").awaitHealthy()) {
            List<ProcessHandle> family = w.process.descendants().toList();
            w.process.destroy();
            assertThat(w.awaitExit()).isEqualTo(ExitCodes.OK);
            for (ProcessHandle p : family) {
                assertThat(p.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
            }
            assertThat(Files.exists(w.socket)).isFalse();
            assertThat(w.log()).contains("engine stopped");
        }
    }

    @Test
    void workerStopsWhenItsSupervisorGoesAway() throws Exception {
        try (WorkerProcess w = WorkerProcess.start("--network", "host").awaitHealthy()) {
            // embeddings are off unless asked for (they slow generation down)
            var e = UdsClient.once(w.socket, "POST", "/v1/embeddings", "{\"input\":\"x\"}");
            assertThat(e.status()).isEqualTo(404);
            w.process.getOutputStream().close(); // what the supervisor's death looks like to the worker
            assertThat(w.awaitExit()).isEqualTo(ExitCodes.OK);
            assertThat(Files.exists(w.socket)).isFalse();
        }
    }

    @Test
    void pastParallelPlusQueueRequestsAreRefusedWith429AndRetryAfter() throws Exception {
        try (WorkerProcess w = WorkerProcess.start("--network", "host", "--parallel", "1", "--queue", "1")
                .awaitHealthy(); var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicInteger chunks = new AtomicInteger();
            UdsClient streaming = new UdsClient(w.socket);
            String longRun = "{\"prompt\":\"The\",\"max_tokens\":480,\"temperature\":0%s}";
            var first = CompletableFuture.supplyAsync(() -> {
                try {
                    return streaming.send("POST", "/v1/completions", longRun.formatted(",\"stream\":true"),
                            c -> chunks.incrementAndGet()).status();
                } catch (Exception e) {
                    return -1; // the test closes this connection on purpose
                }
            }, threads);
            Await.until("first stream to produce", Duration.ofSeconds(20), () -> chunks.get() > 2);
            var second = CompletableFuture.supplyAsync(() -> {
                try {
                    return UdsClient.once(w.socket, "POST", "/v1/completions", longRun.formatted(""));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            Await.until("second request admitted", Duration.ofSeconds(20), () -> inflight(w) == 2);

            var third = UdsClient.once(w.socket, "POST", "/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":1}");
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.headers().get("retry-after")).isEqualTo("1");
            assertThat(JSON.readTree(third.body()).path("error").path("code").asText()).isEqualTo("overloaded");

            streaming.close(); // client gone: its generation is cancelled and frees the slot
            first.get(20, TimeUnit.SECONDS);
            var queued = second.get(30, TimeUnit.SECONDS);
            assertThat(queued.status()).isEqualTo(200);
            assertThat(JSON.readTree(queued.body()).path("usage").path("completion_tokens").asInt()).isEqualTo(480);
            Await.until("admission drained", Duration.ofSeconds(10), () -> inflight(w) == 0);
        }
    }

    private static int inflight(WorkerProcess w) {
        try {
            return JSON.readTree(UdsClient.once(w.socket, "GET", "/health", null).body()).path("inflight").asInt();
        } catch (Exception e) {
            return -1;
        }
    }
}
