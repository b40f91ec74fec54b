package dev.bastion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.governance.EvaluationSuite;
import dev.bastion.governance.Evaluations;
import dev.bastion.governance.SuiteParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code bastion models evaluate ID --suite FILE}: starts (or resumes) an evaluation run on the server, then sends
 * every pending item as an ordinary chat request through Bastion's own pipeline, at most {@code --concurrency} at a
 * time, with a progress bar. Scoring happens on the server from what the model answered; this command prints the
 * summary once the run is complete. Interrupted runs resume where they stopped when the same command runs again.
 * Exit codes: 0 complete (gate passed or none), 3 complete with a failed gate, 1 incomplete (run it again).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Run an evaluation suite against a registry entry through Bastion's pipeline.")
final class EvaluateCommand extends ModelsCommand.Call {
    @Parameters(paramLabel = "ID", description = "registry entry id") String id;
    @Option(names = "--suite", required = true, paramLabel = "FILE",
            description = ".jsonl task suite, or a .yaml/.json suite of any kind") Path suiteFile;
    @Option(names = "--concurrency", defaultValue = "4", description = "requests in flight (1-32, default: ${DEFAULT-VALUE})")
    int concurrency;
    @Option(names = "--progress", defaultValue = "auto",
            description = "progress bar: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    ModelsCommand.ProgressMode progress;
    @Option(names = "--wait", defaultValue = "60", paramLabel = "SECONDS",
            description = "how long to wait for the last results (default: ${DEFAULT-VALUE})")
    int waitSeconds;

    @Override
    public Integer call() throws Exception {
        if (concurrency < 1 || concurrency > 32) {
            err().println("--concurrency is 1 to 32");
            return 2;
        }
        EvaluationSuite suite;
        try {
            suite = SuiteParser.readFile(suiteFile);
        } catch (IllegalArgumentException e) {
            err().println("suite " + suiteFile + ": " + e.getMessage());
            return 2;
        }
        HttpResponse<String> started = call("POST", ModelsCommand.BASE + "/" + id + "/evaluations",
                Map.of("suite", suite.source()));
        if (started.statusCode() >= 300) return print(started);
        JsonNode run = ModelsCommand.JSON.readTree(started.body());
        String runId = run.path("id").asText();
        String alias = run.path("alias").asText();
        int maxTokens = run.path("max_tokens").asInt(64);
        Set<Integer> done = new HashSet<>();
        run.path("done_items").forEach(n -> done.add(n.asInt()));
        out().printf("%s run %s: suite %s (%s), %d items, %d already done; sending to %s%n",
                run.path("resumed").asBoolean() ? "resuming" : "started", runId, suite.name(), suite.kind().wire(),
                suite.items().size(), done.size(), alias);
        out().flush();

        ProgressBar bar = new ProgressBar(err(), progress, 20, "evaluating", false);
        long total = suite.items().size();
        AtomicLong finished = new AtomicLong(done.size());
        AtomicLong unsent = new AtomicLong();
        bar.update(finished.get(), total);
        Semaphore inFlight = new Semaphore(concurrency);
        List<Future<?>> sent = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (EvaluationSuite.Item item : suite.items()) {
                if (done.contains(item.index())) continue;
                inFlight.acquire();
                sent.add(pool.submit(() -> {
                    try {
                        send(item, runId, alias, maxTokens);
                    } catch (Exception e) {
                        unsent.incrementAndGet(); // retried when the run resumes
                    } finally {
                        inFlight.release();
                        bar.update(finished.incrementAndGet(), total);
                    }
                }));
            }
        }
        JsonNode result = awaitResults(runId, total);
        bar.abandon();
        if (result == null || !result.path("status").asText().equals("complete")) {
            err().printf("run %s is incomplete (%d requests not sent or not recorded); run the same command again "
                    + "to resume%n", runId, unsent.get());
            err().flush();
            return 1;
        }
        return summary(result.path("summary"));
    }

    private void send(EvaluationSuite.Item item, String runId, String alias, int maxTokens) throws Exception {
        Map<String, Object> body = Map.of("model", alias, "max_tokens", maxTokens, "temperature", 0, "seed", 7,
                "messages", List.of(Map.of("role", "user", "content", item.prompt())));
        HttpResponse<String> r = target.call("POST", "/v1/chat/completions", body, true,
                Map.of(Evaluations.HEADER, runId + ":" + item.index()));
        if (r.statusCode() >= 500 || r.statusCode() == 429) throw new IllegalStateException("HTTP " + r.statusCode());
    }

    /** The run once every item has a final result (the server records each one as its request completes). */
    private JsonNode awaitResults(String runId, long total) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        long pause = 20_000_000L;
        while (true) {
            HttpResponse<String> r = call("GET", ModelsCommand.BASE + "/" + id + "/evaluations/" + runId, null);
            if (r.statusCode() >= 300) return null;
            JsonNode run = ModelsCommand.JSON.readTree(r.body());
            if (run.path("status").asText().equals("complete")) return run;
            boolean pendingErrors = false;
            for (JsonNode res : run.path("results")) {
                if (res.path("result").path("status").asText().equals("error")) pendingErrors = true;
            }
            if (pendingErrors && run.path("done").asLong() + countErrors(run) >= total) return run;
            if (System.nanoTime() > deadline) return run;
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 500_000_000L);
        }
    }

    private static long countErrors(JsonNode run) {
        long n = 0;
        for (JsonNode res : run.path("results")) if (res.path("result").path("status").asText().equals("error")) n++;
        return n;
    }

    private int summary(JsonNode s) {
        out().printf("suite %s (%s): %d items%n", s.path("suite").asText(), s.path("kind").asText(), s.path("items").asInt());
        s.path("metrics").properties().forEach(m -> out().printf("  %-14s %s%n", m.getKey(), m.getValue().asText()));
        if (s.path("groups").size() > 0) {
            out().printf("  %-20s %6s %6s %9s%n", "group", "items", "passed", "accuracy");
            for (JsonNode g : s.path("groups")) {
                out().printf("  %-20s %6d %6d %9s%n", g.path("group").asText(), g.path("items").asInt(),
                        g.path("passed").asInt(), g.path("accuracy").asText());
            }
        }
        s.path("by_type").properties().forEach(t -> out().printf("  found %-20s %d%n", t.getKey(), t.getValue().asLong()));
        JsonNode gate = s.path("gate");
        int code = 0;
        if (gate.isObject()) {
            boolean passed = gate.path("passed").asBoolean();
            out().printf("  gate %s %s %s: %s (measured %s)%n", gate.path("metric").asText(), gate.path("op").asText(),
                    gate.path("threshold").asText(), passed ? "passed" : "FAILED", gate.path("value").asText());
            code = passed ? 0 : 3;
        }
        out().printf("  summary %s%n", s.path("summary_digest").asText());
        out().flush();
        return code;
    }
}
