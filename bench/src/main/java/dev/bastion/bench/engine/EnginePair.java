package dev.bastion.bench.engine;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.bastion.gguf.SyntheticLlamaModel;
import dev.bastion.localengine.EngineSupervisor;
import dev.bastion.localengine.LocalEngineConfig;
import dev.bastion.models.ModelImporter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The two ways to run the same generated model with the same threads and context: the llama.cpp binding in this
 * JVM, and the engine worker process (via the supervisor, isolated, over its Unix socket).
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

    EnginePair(int tokens, int threads) throws Exception {
        this.tokens = tokens;
        dir = Files.createTempDirectory("bastion-engine-bench");
        Path file = dir.resolve("bench.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.bench(), file);
        String sha = ModelImporter.sha256(file, (d, t) -> { });
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
        String prompt = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(PROMPT);
        generateBody = ("{\"prompt\":" + prompt + ",\"max_tokens\":" + tokens + ",\"temperature\":0}")
                .getBytes(StandardCharsets.UTF_8);
        firstTokenBody = ("{\"prompt\":" + prompt + ",\"max_tokens\":1,\"temperature\":0,\"stream\":true}")
                .getBytes(StandardCharsets.UTF_8);
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
        worker.close();
        model.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
