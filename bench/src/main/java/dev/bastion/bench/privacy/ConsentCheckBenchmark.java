package dev.bastion.bench.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.BarrierStore;
import dev.bastion.barrier.KeyProviderConfig;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.pipeline.RequestHeaders;
import dev.bastion.privacy.ConsentChange;
import dev.bastion.privacy.ConsentRegistry;
import dev.bastion.privacy.ConsentStage;
import dev.bastion.privacy.LawfulBasis;
import dev.bastion.privacy.PrivacyStore;
import dev.bastion.privacy.SubjectKeys;
import dev.bastion.privacy.SubjectTokens;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the consent check adds to a request that names data subjects, caches warm (the goal is ≤ 3 µs): the consent
 * stage — ids to tokens, registry facts for the purpose, the exchange rewritten to carry tokens — for one and for
 * three subjects, against a request that names nobody.
 *
 * <p>Run: {@code java -jar bench/target/bastion-bench.jar ConsentCheckBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class ConsentCheckBenchmark {
    private Path dir;
    private Database db;
    private Barrier barrier;
    private ChangeFeed feed;
    private ConsentStage stage;
    private Exchange exchange;
    private RequestContext none;
    private RequestContext one;
    private RequestContext three;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("bastion-consent-bench");
        db = Database.open(StoreConfig.sqlite(dir.resolve("bastion.db")));
        barrier = Barrier.start(db, KeyProviderConfig.autoProvider(Map.of("provider", "insecure-file"), dir));
        feed = ChangeFeed.start(db, ChangeFeed.Settings.defaults());
        SubjectKeys keys = SubjectKeys.of(barrier);
        PrivacyStore store = new PrivacyStore(db);
        ConsentRegistry registry = new ConsentRegistry(store, new SubjectTokens(keys, store, Clock.systemUTC()),
                BarrierStore.over(db, barrier, Clock.systemUTC()), feed, Clock.systemUTC());
        registry.record(List.of(
                new ConsentChange("patient-1", "support", true, LawfulBasis.CONSENT, "receipt-1", null),
                new ConsentChange("patient-2", "support", true, LawfulBasis.CONTRACT, null, null),
                new ConsentChange("patient-3", "support", true, LawfulBasis.LEGAL_OBLIGATION, null, null)), "bench");
        stage = new ConsentStage(registry);
        var json = new ObjectMapper().createObjectNode().put("model", "chat");
        RequestHeaders headers = new RequestHeaders() {
            @Override public String first(String name) { return null; }
            @Override public List<String> all(String name) { return List.of(); }
        };
        exchange = new Exchange("req", Instant.now(), 0, "127.0.0.1:1", headers, null, "model.invoke", max -> new byte[0]);
        exchange.put(ModelRequest.class, new ModelRequest(Operation.CHAT, new byte[0], json, "chat", false));
        none = new RequestContext("support", List.of(), null, null);
        one = new RequestContext("support", List.of("patient-1"), "confidential", null);
        three = new RequestContext("support", List.of("patient-1", "patient-2", "patient-3"), "confidential", null);
        for (RequestContext c : List.of(one, three)) { // warm every cache once
            exchange.put(RequestContext.class, c);
            stage.onRequest(exchange);
        }
    }

    @Benchmark
    public void noSubject(Blackhole bh) {
        exchange.put(RequestContext.class, none);
        bh.consume(stage.onRequest(exchange));
    }

    @Benchmark
    public void oneSubject(Blackhole bh) {
        exchange.put(RequestContext.class, one);
        bh.consume(stage.onRequest(exchange));
    }

    @Benchmark
    public void threeSubjects(Blackhole bh) {
        exchange.put(RequestContext.class, three);
        bh.consume(stage.onRequest(exchange));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        feed.close();
        barrier.seal();
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temp dir
        }
    }
}
