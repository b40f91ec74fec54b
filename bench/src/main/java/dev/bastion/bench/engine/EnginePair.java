package dev.bastion.bench.engine;

import dev.bastion.config.ConfigLoader;
import dev.bastion.server.BastionServer;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.bastion.gguf.SyntheticLlamaModel;
import dev.bastion.localengine.EngineSupervisor;
import dev.bastion.localengine.LocalEngineConfig;
import dev.bastion.gguf.ModelFileDigest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Three ways to run the same generated model with the same threads and context: the llama.cpp binding in this JVM,
 * the engine worker process (via the supervisor, isolated, over its Unix socket), and the whole path through a
 * Bastion server (HTTP, pipeline with audit, pooled Unix-socket client, its own worker).
 */
final class EnginePair implements AutoCloseable {
    static final String PROMPT = "The gateway checks every request before it reaches a model, and the worker "
            + "answers over a socket on the same machine.";

    private final Path dir;
    private final LlamaModel model;
    private final EngineSupervisor worker;
    private final byte[] generateBody;
    private final byte[] firstTokenBody;
    private final int tokens;
    private final BastionServer gateway;
    private final String gatewayKey;
    private final byte[] streamBody;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    /** -Dbench.gatewayClient=jdk calls Bastion through java.net.http.HttpClient instead of the lean client. */
    private final boolean jdkClient = "jdk".equals(System.getProperty("bench.gatewayClient"));
    private final LeanHttpClient lean;

    EnginePair(int tokens, int threads) throws Exception {
        this.tokens = tokens;
        dir = Files.createTempDirectory("bastion-engine-bench");
        Path file = dir.resolve("bench.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.bench(), file);
        String sha = ModelFileDigest.sha256(file, (d, t) -> { });
        // a root benchmark runs the locked-down worker as nobody: it must be able to read the model
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        dev.bastion.engine.LlamaEngine.usePrivateNativeDirectory();
        model = new LlamaModel(new ModelParameters().setModel(file.toString()).setThreads(threads)
                .setThreadsBatch(threads).setCtxSize(2048).setParallel(1).disableMmap().disableLog());
        worker = new EngineSupervisor(LocalEngineConfig.defaults(file, sha, "bench", dir.resolve("run"),
                System.getProperty("java.class.path")).withSlots(threads, 2048, 1, 4)
                .withExtraArgs(java.util.List.of(System.getProperty("bench.workerArgs", "").split(" +")).stream()
                        .filter(a -> !a.isBlank()).toList()));
        worker.start();
        if (!worker.awaitReady(Duration.ofSeconds(120))) {
            throw new IllegalStateException("worker not ready: " + worker.status());
        }
        // the whole path: Bastion in this JVM, serving the same file through its own supervised worker
        Path yaml = dir.resolve("bastion.yaml");
        Files.writeString(yaml, """
                server: {port: 0}
                data-dir: %s
                engine:
                  models: [{file: "%s", alias: bench}]
                  classpath: "%s"
                  threads: %d
                  context: 2048
                  max-tokens: 4096
                """.formatted(dir.resolve("gw"), file, System.getProperty("java.class.path"), threads));
        var console = new java.io.ByteArrayOutputStream();
        gateway = BastionServer.start(ConfigLoader.load(yaml, java.util.Map.of()), java.time.Clock.systemUTC(),
                new java.io.PrintStream(console, true, StandardCharsets.UTF_8));
        var m = java.util.regex.Pattern.compile("(bst_[a-z2-7]{12}_[A-Za-z0-9_-]{43})")
                .matcher(console.toString(StandardCharsets.UTF_8));
        if (!m.find()) throw new IllegalStateException("gateway printed no admin key");
        gatewayKey = applicationKey(m.group(1));
        String prompt = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(PROMPT);
        generateBody = ("{\"prompt\":" + prompt + ",\"max_tokens\":" + tokens + ",\"temperature\":0}")
                .getBytes(StandardCharsets.UTF_8);
        firstTokenBody = ("{\"prompt\":" + prompt + ",\"max_tokens\":1,\"temperature\":0,\"stream\":true}")
                .getBytes(StandardCharsets.UTF_8);
        streamBody = ("{\"prompt\":" + prompt + ",\"max_tokens\":" + tokens + ",\"temperature\":0,\"stream\":true}")
                .getBytes(StandardCharsets.UTF_8);
        lean = new LeanHttpClient(gateway.baseUri(), "/v1/completions", gatewayKey);
    }

    private InferenceParameters params(int n) {
        return new InferenceParameters(PROMPT).setNPredict(n).setTemperature(0f);
    }

    /** Streams like the worker does internally (the binding's non-streaming call behaves the same). */
    String generateInProcess() {
        LlamaIterator it = model.generate(params(tokens)).iterator();
        StringBuilder text = new StringBuilder();
        while (it.hasNext()) text.append(it.next().text);
        return text.toString();
    }

    int generateViaWorker() {
        var r = worker.call("POST", "/v1/completions", generateBody, Duration.ofMinutes(2), null);
        if (r.status() != 200) throw new IllegalStateException("status " + r.status());
        return r.body().length;
    }

    /** The same request through Bastion: authentication, parsing, routing, audit, the pooled Unix-socket client. */
    int generateViaGateway() {
        return gatewayCall(generateBody);
    }

    /** Time to first token through Bastion: the one-token stream, read to its end. */
    int firstTokenViaGateway() {
        return gatewayCall(firstTokenBody);
    }

    /** The admin key manages but may not call models (separation of duties): the bench calls as a developer. */
    private String applicationKey(String adminKey) throws java.io.IOException, InterruptedException {
        var r = http.send(java.net.http.HttpRequest.newBuilder(gateway.baseUri().resolve("/bastion/v1/keys"))
                        .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"engine-bench\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        var k = java.util.regex.Pattern.compile("(bst_[a-z2-7]{12}_[A-Za-z0-9_-]{43})").matcher(r.body());
        if (r.statusCode() != 201 || !k.find()) throw new IllegalStateException("could not create a key: " + r.statusCode());
        return k.group(1);
    }

    private static byte[] withModel(byte[] body) {
        return ("{\"model\":\"bench\"," + new String(body, StandardCharsets.UTF_8).substring(1))
                .getBytes(StandardCharsets.UTF_8);
    }

    private int gatewayCall(byte[] body) {
        byte[] withModel = withModel(body);
        try {
            if (!jdkClient) {
                var r = lean.post(withModel, null);
                if (r.status() != 200) throw new IllegalStateException("gateway status " + r.status());
                return r.body().length;
            }
            var r = http.send(java.net.http.HttpRequest.newBuilder(gateway.baseUri().resolve("/v1/completions"))
                    .header("Authorization", "Bearer " + gatewayKey).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(withModel)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("gateway status " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
            }
            return r.body().length;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Time (ms) until the first piece of generated text of a {@link #tokens}-token generation, in this JVM. The
     * generation is then cancelled.
     */
    double firstVisibleInProcess() {
        long t0 = System.nanoTime();
        LlamaIterator it = model.generate(params(tokens)).iterator();
        while (it.hasNext()) {
            if (!it.next().text.isEmpty()) break;
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        it.cancel();
        return ms;
    }

    /**
     * Time (ms) until the first event with generated text arrives from a {@link #tokens}-token stream through
     * Bastion — what a streaming client sees as time to first token, output window included. Read to its end.
     */
    double firstVisibleViaGateway() {
        FirstText first = new FirstText();
        try {
            var r = lean.post(withModel(streamBody), (b, off, len) -> first.see(b, off, len));
            if (r.status() != 200) throw new IllegalStateException("gateway status " + r.status());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return first.ms();
    }

    /** The same through the worker alone. */
    double firstVisibleViaWorker() {
        FirstText first = new FirstText();
        worker.call("POST", "/v1/completions", streamBody, Duration.ofMinutes(2), c -> {
            first.see(c, 0, c.length);
            return true;
        });
        return first.ms();
    }

    /** Watches a text-completion event stream for the first non-empty {@code "text"}. */
    private static final class FirstText {
        private final long start = System.nanoTime();
        private final StringBuilder seen = new StringBuilder();
        private long at;

        void see(byte[] b, int off, int len) {
            if (at != 0) return;
            seen.append(new String(b, off, len, StandardCharsets.UTF_8));
            var m = java.util.regex.Pattern.compile("\"text\":\"[^\"]").matcher(seen);
            if (m.find()) at = System.nanoTime();
        }

        double ms() {
            if (at == 0) throw new IllegalStateException("the stream carried no text");
            return (at - start) / 1e6;
        }
    }

    /** A one-token generation: prompt evaluation plus one decoding step. */
    String firstTokenInProcess() {
        LlamaIterator it = model.generate(params(1)).iterator();
        StringBuilder text = new StringBuilder();
        while (it.hasNext()) text.append(it.next().text);
        return text.toString();
    }

    /** The same, streamed through the worker: request, SSE event with the token, end of stream. */
    int firstTokenViaWorker() {
        int[] seen = {0};
        worker.call("POST", "/v1/completions", firstTokenBody, Duration.ofMinutes(2), chunk -> ++seen[0] > 0);
        if (seen[0] < 2) throw new IllegalStateException("no token streamed");
        return seen[0];
    }

    @Override
    public void close() throws Exception {
        lean.close();
        gateway.stop();
        worker.close();
        model.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
