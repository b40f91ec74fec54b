package dev.bastion.replicas;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.audit.LogSource;
import dev.bastion.audit.LogVerifier;
import dev.bastion.audit.VerificationResult;
import dev.bastion.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three Bastion server processes on one PostgreSQL database — stateless replicas sharing keys, policy, registry,
 * vault, quotas and one audit log: a policy change and a model revocation written on one replica are in force on all
 * three within a second; a replica killed (SIGKILL) while streaming loses no audit entry any client was answered
 * with, and the one log still verifies; a rolling restart (SIGTERM, drain, start again, one replica at a time)
 * under load drops no request.
 */
class ReplicasTest {
    private static final Duration WITHIN = Duration.ofSeconds(1);
    private static Cluster cluster;
    private static String developer;
    private static String auditor;

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(3);
        developer = cluster.createKey("{\"name\":\"replicas-developer\"}");
        auditor = cluster.operatorKey("replicas-auditor", "auditor");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    /** Every test starts with three serving replicas (an earlier failure may have left one down). */
    @BeforeEach
    void allServing() throws Exception {
        for (int i = 0; i < cluster.size(); i++) if (!cluster.replica(i).isAlive()) cluster.restart(i);
    }

    @Test
    void aPolicyChangeAndAModelRevocationReachEveryReplicaWithinOneSecond() throws Exception {
        for (int i = 0; i < 3; i++) assertThat(embed(i).statusCode()).isEqualTo(200);
        JsonNode running = json(cluster.send(0, "GET", "/bastion/v1/policy", cluster.adminKey, null));
        long before = running.path("running_version").asLong();
        String text = json(cluster.send(1, "GET", "/bastion/v1/policy/versions/" + before, cluster.adminKey, null))
                .path("text").asText();
        String changed = text + """

                  - id: replicas-no-embeddings
                    description: written on one replica, in force on all
                    effect: forbid
                    roles: ["*"]
                    actions: [model.embed]
                """;

        // policy: written on replica 0; each replica refuses embeddings within a second of the write being sent
        long sent = System.nanoTime();
        var pollers = pollAll(i -> embed(i).statusCode() == 403);
        var write = cluster.send(0, "PUT", "/bastion/v1/policy", cluster.adminKey, Cluster.JSON.writeValueAsString(
                Map.of("text", changed, "comment", "no embeddings", "expected_version", before)));
        assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
        JsonNode w = json(write);
        assertThat(w.path("version").asLong()).isEqualTo(before + 1);
        assertThat(w.path("propagation").path("confirmed").asBoolean()).isTrue();
        assertThat(w.path("propagation").path("applied_by").asInt()).isGreaterThanOrEqualTo(3);
        assertWithin(pollers, sent, "policy change");
        for (int i = 0; i < 3; i++) {
            var r = embed(i);
            assertThat(json(r).path("error").path("rule_ids").toString()).contains("replicas-no-embeddings");
            assertThat(json(cluster.send(i, "GET", "/bastion/v1/policy", auditor, null)).path("running_version")
                    .asLong()).isEqualTo(before + 1);
        }
        // the history is one, whichever replica is asked
        JsonNode history = json(cluster.send(2, "GET", "/bastion/v1/policy/versions", auditor, null));
        assertThat(history.path("versions").get(0).path("comment").asText()).isEqualTo("no embeddings");
        assertThat(history.path("versions").get(0).path("running").asBoolean()).isTrue();

        // model revocation: a registered, approved model serves on all three; revoked on replica 1, refused everywhere
        String id = approvedModel();
        for (int i = 0; i < 3; i++) assertThat(chat(i, "revocable").statusCode()).isEqualTo(200);
        sent = System.nanoTime();
        pollers = pollAll(i -> chat(i, "revocable").statusCode() == 403);
        var revoke = cluster.send(1, "POST", "/bastion/v1/models/" + id + "/revoke", steward("c"),
                "{\"reason\":\"recalled by the vendor\"}");
        assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(200);
        assertThat(json(revoke).path("replicas_confirmed").asBoolean()).isTrue();
        assertWithin(pollers, sent, "model revocation");
        for (int i = 0; i < 3; i++) {
            assertThat(json(chat(i, "revocable")).path("error").path("code").asText()).isEqualTo("model_not_approved");
        }
    }

    @Test
    void aReplicaKilledMidStreamLosesNoAuditEntryAnyClientWasAnsweredWith() throws Exception {
        List<Traffic.Ended> ended;
        try (var traffic = new Traffic(cluster, developer, 12)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> traffic.complete(0) >= 5 && traffic.complete(1) >= 5
                    && traffic.complete(2) >= 5 && traffic.openStreams.get(2) >= 2);
            cluster.replica(2).kill(); // mid-stream: at least two streams of replica 2 are open
            traffic.out(2);
            long c0 = traffic.complete(0);
            long c1 = traffic.complete(1);
            await().atMost(Duration.ofSeconds(60)).until(() -> traffic.complete(0) >= c0 + 5
                    && traffic.complete(1) >= c1 + 5);
            traffic.close();
            ended = List.copyOf(traffic.ended);
        }
        List<Traffic.Ended> cut = ended.stream().filter(e -> e.replica() == 2 && e.kind() == Traffic.Kind.BROKEN).toList();
        assertThat(cut).as("streams were cut by the kill").isNotEmpty();
        assertThat(ended).filteredOn(e -> e.replica() != 2).allMatch(e -> e.kind() == Traffic.Kind.COMPLETE,
                "the surviving replicas answered everything");
        assertEveryAnswerHasItsAcceptEntryAndTheLogVerifies(ended);
        cluster.restart(2);
    }

    @Test
    void aRollingRestartUnderLoadDropsNoRequest() throws Exception {
        List<Traffic.Ended> ended;
        int retried;
        try (var traffic = new Traffic(cluster, developer, 12)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> traffic.complete(0) >= 3 && traffic.complete(1) >= 3
                    && traffic.complete(2) >= 3);
            for (int i = 0; i < 3; i++) {
                int r = i;
                // stopped while it streams: the load balancer stops sending to it, then SIGTERM (drain, then exit)
                await().atMost(Duration.ofSeconds(30)).until(() -> traffic.openStreams.get(r) >= 1);
                traffic.out(r);
                cluster.replica(r).terminate();
                cluster.replica(r).awaitExit(Duration.ofSeconds(60));
                cluster.restart(r);
                traffic.in(r);
                long before = traffic.complete(r);
                await().atMost(Duration.ofSeconds(60)).until(() -> traffic.complete(r) >= before + 3);
            }
            traffic.close();
            ended = List.copyOf(traffic.ended);
            retried = traffic.retried.get();
        }
        assertThat(ended.size()).isGreaterThan(30);
        assertThat(ended).as("no request dropped (%d refused before start and sent elsewhere)", retried)
                .allMatch(e -> e.kind() == Traffic.Kind.COMPLETE);
        assertEveryAnswerHasItsAcceptEntryAndTheLogVerifies(ended);
    }

    /** Every answer's audit index holds its accept entry; once integrated, the one log verifies through replica 0. */
    private static void assertEveryAnswerHasItsAcceptEntryAndTheLogVerifies(List<Traffic.Ended> ended) throws Exception {
        Map<Long, JsonNode> entries = cluster.auditEntries();
        long answeredWithIndex = 0;
        for (Traffic.Ended e : ended) {
            if (e.auditIndex() < 0) continue;
            answeredWithIndex++;
            JsonNode entry = entries.get(e.auditIndex());
            assertThat(entry).as("accept entry at %d (%s)", e.auditIndex(), e.kind()).isNotNull();
            assertThat(entry.path("kind").asText()).isEqualTo("bastion.audit.request/v1");
            assertThat(entry.path("request_id").asText()).isEqualTo(e.requestId());
        }
        assertThat(answeredWithIndex).isGreaterThan(0);
        URI audit = URI.create(cluster.base(0) + "/bastion/v1/audit/");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var r = LogVerifier.forKey(cluster.verifierKey).verify(LogSource.http(audit, auditor));
            return r instanceof VerificationResult.Verified v && v.checkpoint().size() >= maxIndex(ended) + 1;
        });
        var result = LogVerifier.forKey(cluster.verifierKey).verify(LogSource.http(audit, auditor));
        assertThat(result).isInstanceOf(VerificationResult.Verified.class);
    }

    private static long maxIndex(List<Traffic.Ended> ended) {
        return ended.stream().mapToLong(Traffic.Ended::auditIndex).max().orElse(0);
    }

    /** One poller per replica from now on: each completes with the time its condition first held. */
    private static List<CompletableFuture<Long>> pollAll(Check check) {
        List<CompletableFuture<Long>> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int r = i;
            out.add(CompletableFuture.supplyAsync(() -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < deadline) {
                    try {
                        if (check.holds(r)) return System.nanoTime();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                throw new IllegalStateException("replica " + r + " never changed");
            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
        return out;
    }

    private static void assertWithin(List<CompletableFuture<Long>> pollers, long sent, String what) {
        for (int i = 0; i < pollers.size(); i++) {
            Duration took = Duration.ofNanos(pollers.get(i).join() - sent);
            System.out.println(what + " in force on replica " + i + " after " + took.toMillis() + " ms");
            assertThat(took).as("%s in force on replica %d after %s", what, i, took).isLessThanOrEqualTo(WITHIN);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds(int replica) throws Exception;
    }

    // ---- the model registry workflow, over HTTP and the CLI (as stewards do it) ------------------------------

    private static final Map<String, String> STEWARDS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String steward(String name) {
        String key = STEWARDS.get(name);
        if (key == null) {
            key = cluster.operatorKey("steward-" + name, "model-steward");
            STEWARDS.put(name, key);
        }
        return key;
    }

    /** Registers the {@code revocable} alias's model, documents and evaluates it, and has another steward approve it. */
    private static String approvedModel() throws Exception {
        cluster.upstream.reports("stand-in-rev", "rev-1"); // the identity the entry expects: only then does it route
        var r = cluster.send(0, "POST", "/bastion/v1/models", steward("a"), """
                {"source":"remote","name":"stand-in-rev","backend":"standin","upstream_model":"stand-in-rev",
                 "expected_identity":"rev-1"}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = json(r).path("id").asText();
        r = cluster.send(1, "PUT", "/bastion/v1/models/" + id + "/card", steward("a"), """
                {"intended_use":"Answering internal support questions in English.",
                 "out_of_scope_uses":["medical or legal advice"], "training_data":["internal FAQ, 2025"],
                 "licence":"Apache-2.0", "limitations":["may invent facts"], "risk":"low",
                 "contact":"ml-governance@example.org"}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Path suite = cluster.dir.resolve("suite.jsonl");
        Files.writeString(suite, "{\"prompt\":\"Who are you?\",\"expected\":\"stand-in\",\"match\":\"contains\"}\n");
        Path keyFile = cluster.dir.resolve("steward-a.key");
        Files.writeString(keyFile, steward("a"));
        int code = Main.commandLine().execute("models", "evaluate", id, "--suite", suite.toString(), "--progress",
                "never", "--url", cluster.base(2).toString(), "--key-file", keyFile.toString(),
                "-c", cluster.dir.resolve("replica-2.yaml").toString());
        assertThat(code).isIn(0, 3);
        r = cluster.send(2, "POST", "/bastion/v1/models/" + id + "/approve", steward("b"), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("replicas_confirmed").asBoolean()).isTrue();
        return id;
    }

    private static HttpResponse<String> embed(int replica) throws Exception {
        return cluster.send(replica, "POST", "/v1/embeddings", developer, "{\"model\":\"chat\",\"input\":\"x\"}");
    }

    private static HttpResponse<String> chat(int replica, String alias) throws Exception {
        return cluster.send(replica, "POST", "/v1/chat/completions", developer,
                "{\"model\":\"" + alias + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception { return Cluster.JSON.readTree(r.body()); }
}
