package dev.bastion.bench.barrier;

import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.BarrierStore;
import dev.bastion.barrier.InsecureFileKeyProvider;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The barrier's storage API on the embedded store (SQLite, WAL, synchronous=FULL): one 1 KiB value read by path,
 * written (one durable transaction), 100 values read by path in one call, listed by prefix, read page-wise, and
 * written in one batch — against reading the same 100 one call at a time. Run:
 * {@code java -jar bench/target/bastion-bench.jar BarrierStoreBench -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BarrierStoreBench {
    Path dir;
    Database db;
    Barrier barrier;
    BarrierStore store;
    byte[] value = new byte[1024];
    List<String> hundred = new ArrayList<>();
    Map<String, byte[]> batch = new LinkedHashMap<>();
    int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("bastion-bench-store");
        db = Database.open(StoreConfig.sqlite(dir.resolve("b.db")));
        barrier = Barrier.start(db, Optional.of(new InsecureFileKeyProvider(dir.resolve("insecure.key"))));
        store = BarrierStore.over(db, barrier, Clock.systemUTC());
        for (int i = 0; i < 100; i++) {
            String path = "bench/folder/item-" + (1000 + i);
            hundred.add(path);
            batch.put("bench/batch/item-" + (1000 + i), value);
        }
        for (String p : hundred) store.put(p, value);
        for (int i = 0; i < 10_000; i++) store.put("bench/other/x-" + i, value);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        barrier.seal();
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Optional<byte[]> get1KiB() { return store.get(hundred.get(next++ % 100)); }

    @Benchmark
    public void put1KiB() { store.put("bench/writes/w-" + (next++ % 1000), value); }

    @Benchmark
    public Map<String, byte[]> getAll100() { return store.getAll(hundred); }

    @Benchmark
    public int get100OneByOne() {
        int n = 0;
        for (String p : hundred) n += store.get(p).map(v -> 1).orElse(0);
        return n;
    }

    @Benchmark
    public List<String> list100OutOf10k() { return store.list("bench/folder/"); }

    @Benchmark
    public List<BarrierStore.Entry> scan100() { return store.scan("bench/folder/", null, 100); }

    @Benchmark
    public void putAll100() { store.putAll(batch, null); }
}
