package dev.bastion.bench.governance;

import dev.bastion.backend.BackendAnswer;
import dev.bastion.backend.ModelBackend;
import dev.bastion.governance.RegistryStages;
import dev.bastion.governance.RoutingGate;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.RequestHeaders;
import dev.bastion.policy.Resource;
import dev.bastion.route.Route;
import dev.bastion.store.ChangeFeed;
import dev.bastion.store.Database;
import dev.bastion.store.StoreConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The registry's cost per model request: the lookup stage (route → binding → verdict from the cached snapshot, the
 * policy resource with its approval) plus the gate stage (change-feed freshness, routable?), on a registry of 1,000
 * entries in a real SQLite store with the change feed running. The goal is at most 2 µs per request.
 * Run: {@code java -jar bench/target/bastion-bench.jar RegistryCheckBench -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
@Threads(1)
public class RegistryCheckBench {
    Path dir;
    Database db;
    ChangeFeed feed;
    RegistryStages stages;
    Exchange approved;
    Exchange local;
    Route approvedRoute;
    Route localRoute;
    Resource approvedResource;
    Resource localResource;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("bastion-registry-bench");
        db = Database.open(StoreConfig.sqlite(dir.resolve("bastion.db")));
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO registry_entries (id, kind, source, name, state, sha256, size_bytes, format, path, "
                        + "architecture, quantization, backend, upstream_model, submitted_by, created_at, updated_at, "
                        + "row_version) VALUES (?, 'model', ?, ?, 'approved', ?, ?, ?, ?, ?, ?, ?, ?, 'bench', 0, 0, 1)")) {
            for (int i = 0; i < 1000; i++) {
                boolean isLocal = i % 2 == 0;
                ps.setString(1, "m-bench" + i);
                ps.setString(2, isLocal ? "local" : "remote");
                ps.setString(3, "model-" + i);
                ps.setString(4, isLocal ? String.format("%064x", i) : null);
                if (isLocal) ps.setLong(5, 1000); else ps.setNull(5, java.sql.Types.BIGINT);
                ps.setString(6, isLocal ? "gguf" : null);
                ps.setString(7, isLocal ? "/models/m" + i + ".gguf" : null);
                ps.setString(8, isLocal ? "llama" : null);
                ps.setString(9, isLocal ? "Q8_0" : null);
                ps.setString(10, isLocal ? null : "vllm-eu");
                ps.setString(11, isLocal ? null : "model-" + i);
                ps.executeUpdate();
            }
        }
        feed = ChangeFeed.start(db, ChangeFeed.Settings.defaults());
        stages = new RegistryStages(new RoutingGate(db, feed), null, false);
        approvedRoute = new Route("chat", backend("vllm-eu"), "model-501", Map.of(), Map.of("region", "eu-west",
                "max_classification", "confidential"));
        localRoute = new Route("tiny", backend("local:tiny"), "tiny", Map.of(), Map.of("region", "local",
                "max_classification", "restricted", "model_sha256", String.format("%064x", 500)));
        approvedResource = approvedRoute.policyResource();
        localResource = localRoute.policyResource();
        approved = exchange(approvedRoute, approvedResource);
        local = exchange(localRoute, localResource);
        if (!(check(approved, approvedResource) instanceof Outcome.Continue)) throw new IllegalStateException("remote must route");
        if (!(check(local, localResource) instanceof Outcome.Continue)) throw new IllegalStateException("local must route");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        feed.close();
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Outcome check(Exchange e, Resource routed) {
        e.put(Resource.class, routed); // what the route stage leaves for each request
        Outcome o = stages.lookup().onRequest(e);
        return o instanceof Outcome.Continue ? stages.gate().onRequest(e) : o;
    }

    /** A remote backend's model: binding by backend and upstream name. */
    @Benchmark
    public Outcome remoteModel() { return check(approved, approvedResource); }

    /** A local engine model: binding by artifact digest. */
    @Benchmark
    public Outcome localModel() { return check(local, localResource); }

    private static Exchange exchange(Route route, Resource resource) {
        byte[] raw = "{\"model\":\"m\",\"messages\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Exchange e = new Exchange("req", Instant.now(), 0, "10.0.0.7", RequestHeaders.NONE, null, Operation.CHAT.action(), max -> raw);
        e.put(ModelRequest.class, new ModelRequest(Operation.CHAT, raw, null, route.alias(), false));
        e.put(Route.class, route);
        e.put(Resource.class, resource);
        return e;
    }

    private static ModelBackend backend(String name) {
        return new ModelBackend() {
            @Override
            public String name() { return name; }

            @Override
            public dev.bastion.backend.UpstreamRequest prepare(ModelRequest request, String upstreamModel) {
                throw new UnsupportedOperationException("not called by the registry check");
            }

            @Override
            public BackendAnswer send(dev.bastion.backend.UpstreamRequest prepared) {
                throw new UnsupportedOperationException("not called by the registry check");
            }

            @Override
            public boolean probe() { return true; }

            @Override
            public void close() { }
        };
    }
}
