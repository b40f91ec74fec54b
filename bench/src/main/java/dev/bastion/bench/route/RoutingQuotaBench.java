package dev.bastion.bench.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.backend.ModelBackend;
import dev.bastion.backend.OpenAiBackend;
import dev.bastion.common.Secret;
import dev.bastion.config.BackendSettings;
import dev.bastion.config.ModelSettings;
import dev.bastion.egress.EgressGate;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.pipeline.RequestHeaders;
import dev.bastion.policy.Action;
import dev.bastion.policy.Authorization;
import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.PolicyRequest;
import dev.bastion.quota.Admission;
import dev.bastion.quota.Metric;
import dev.bastion.quota.QuotaRequest;
import dev.bastion.quota.QuotaRule;
import dev.bastion.quota.QuotaService;
import dev.bastion.quota.QuotaSettings;
import dev.bastion.route.Eligibility;
import dev.bastion.route.ModelCatalog;
import dev.bastion.route.SelectStage;
import dev.bastion.store.Database;
import dev.bastion.store.StoreConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What routing and quotas add to a model request: choosing among an alias's three backends (weighted order, health,
 * the policy decision for each backend — the shipped default policy) and admitting plus settling the request in
 * three quotas (requests per minute per key, tokens per day per team, cost per month per purpose) — with two
 * replicas (two quota services, one per benchmark thread) sharing one PostgreSQL (or SQLite) store, leases batched
 * as in production and usage flushed every 250 ms. Goal: ≤ 10 µs per request.
 * Run: {@code bin/test-postgres && java -jar bench/target/bastion-bench.jar RoutingQuotaBench -f 1 -wi 3 -i 5}
 */
@BenchmarkMode({Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
@Threads(2)
public class RoutingQuotaBench {

    /** Shared by both threads: the store, the catalog, the two replicas' quota services. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"postgres", "sqlite"})
        public String store;
        Database db;
        ModelCatalog catalog;
        SelectStage select;
        QuotaService[] replicas;
        ScheduledExecutorService flusher;
        java.nio.file.Path sqliteDir;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            db = open();
            EgressGate gate = EgressGate.declaredOnly();
            List<BackendSettings> backends = List.of(backend("gpu-a", "confidential"), backend("gpu-b", "confidential"),
                    backend("cloud", "internal"));
            Map<String, ModelBackend> instances = new LinkedHashMap<>();
            for (BackendSettings b : backends) instances.put(b.name(), new OpenAiBackend(b, null, gate));
            catalog = new ModelCatalog(backends, List.of(new ModelSettings("chat", List.of(
                    new ModelSettings.Target("gpu-a", "llama", 0, 3), new ModelSettings.Target("gpu-b", "llama", 0, 1),
                    new ModelSettings.Target("cloud", "llama", 1, 1)), Map.of())), instances);
            PolicyHolder policies = PolicyHolder.of(Policy.loadDefault());
            // the same per-backend decision the server plugs in (server.PolicyEligibility)
            Eligibility policy = (exchange, candidate) -> {
                var facts = Authorization.facts(exchange, Authorization.ipLiteral(exchange.clientAddress()), Map.of());
                var d = policies.decide(new PolicyRequest(exchange.get(Principal.class), Action.MODEL_INVOKE,
                        candidate.policyResource(), facts));
                return d.allowed() && d.obligations().regionAllowed(candidate.policyResource().region()) ? null : "policy";
            };
            select = new SelectStage(catalog, List.of(policy));
            QuotaSettings settings = new QuotaSettings(Map.of("chat", new QuotaSettings.Price(0.5, 1.5)), List.of(
                    new QuotaRule("per-key", QuotaRule.scope("key"), Map.of(Metric.REQUESTS_PER_MINUTE, 1_000_000_000L)),
                    new QuotaRule("teams", QuotaRule.scope("attribute:team"), Map.of(Metric.TOKENS_PER_DAY, Long.MAX_VALUE / 8)),
                    new QuotaRule("purposes", QuotaRule.scope("purpose"), Map.of(Metric.COST_PER_MONTH, Long.MAX_VALUE / 8))));
            replicas = new QuotaService[] {service(settings), service(settings)};
            flusher = Executors.newSingleThreadScheduledExecutor();
            flusher.scheduleWithFixedDelay(() -> {
                for (QuotaService q : replicas) q.flush();
            }, 250, 250, TimeUnit.MILLISECONDS);
        }

        private QuotaService service(QuotaSettings settings) {
            return new QuotaService(db, settings, v -> sha256(v), Clock.systemUTC(), (r, m, s, w, t, l, u) -> { });
        }

        private Database open() throws Exception {
            if (store.equals("sqlite")) {
                sqliteDir = java.nio.file.Files.createTempDirectory("bench-quota");
                return Database.open(StoreConfig.sqlite(sqliteDir.resolve("bench.db")));
            }
            String base = System.getenv().getOrDefault("BASTION_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
            try (var c = DriverManager.getConnection(base + "postgres", "bastion", "bastion"); var s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS bastion_bench_quota");
                s.execute("CREATE DATABASE bastion_bench_quota");
            }
            return Database.open(StoreConfig.postgres(base + "bastion_bench_quota", "bastion", new Secret("bastion"), 8));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            flusher.shutdownNow();
            catalog.close();
            db.close();
        }
    }

    /** One thread = one replica, with its own exchange. */
    @State(Scope.Thread)
    public static class Replica {
        QuotaService quotas;
        Exchange exchange;
        QuotaRequest request;

        @Setup(Level.Trial)
        public void setup(Shared shared, ThreadParams thread) throws Exception {
            quotas = shared.replicas[thread.getThreadIndex() % 2];
            Principal developer = new Principal("key:bench" + thread.getThreadIndex(), Principal.Type.USER,
                    Set.of("developer"), Map.of("team", "payments"), Principal.AuthMethod.API_KEY, Set.of());
            byte[] raw = "{\"model\":\"chat\",\"max_tokens\":256,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange = new Exchange("req", Instant.now(), 0, "10.0.0.7", NO_HEADERS, null, Operation.CHAT.action(), max -> raw);
            exchange.put(RequestContext.class, new RequestContext("support", List.of(), "", null));
            exchange.put(ModelRequest.class, new ModelRequest(Operation.CHAT, raw,
                    (ObjectNode) new ObjectMapper().readTree(raw), "chat", false));
            exchange.put(Principal.class, developer);
            request = new QuotaRequest(developer.id(), developer.id(), developer.attributes(), "support", "chat", 20, 256);
            if (!(shared.select.onRequest(exchange) instanceof Outcome.Continue)) throw new IllegalStateException("routed");
        }
    }

    private static final RequestHeaders NO_HEADERS = new RequestHeaders() {
        @Override
        public String first(String name) { return null; }

        @Override
        public List<String> all(String name) { return List.of(); }
    };

    /** Routing alone: order three backends, check health and the policy decision for each. */
    @Benchmark
    public Outcome select(Shared shared, Replica r) { return shared.select.onRequest(r.exchange); }

    /** Quotas alone: admit in three quotas, then settle with the reported usage. */
    @Benchmark
    public Admission quota(Replica r) {
        Admission a = r.quotas.admit(r.request);
        if (a instanceof Admission.Admitted ok) r.quotas.settle(ok.ticket(), 18, 120, true);
        return a;
    }

    /** Both, as a request pays them. */
    @Benchmark
    public Admission routeAndQuota(Shared shared, Replica r) {
        shared.select.onRequest(r.exchange);
        return quota(r);
    }

    static BackendSettings backend(String name, String maxClassification) {
        return new BackendSettings(name, BackendSettings.Type.OPENAI, URI.create("http://127.0.0.1:9/v1"), Secret.NONE,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 64, Map.of("region", "eu-west", "max_classification",
                maxClassification), null);
    }

    static byte[] sha256(String v) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(v.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
