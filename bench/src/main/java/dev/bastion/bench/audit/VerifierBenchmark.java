package dev.bastion.bench.audit;

import dev.bastion.audit.LogSource;
import dev.bastion.audit.LogVerifier;
import dev.bastion.audit.VerificationResult;
import dev.bastion.audit.tlog.Checkpoint;
import dev.bastion.audit.tlog.EntryBundle;
import dev.bastion.audit.tlog.Hashes;
import dev.bastion.audit.tlog.NoteSigner;
import dev.bastion.audit.tlog.TilePath;
import dev.bastion.audit.tlog.TileTree;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Verifier throughput in entries per second over a 131,072-entry log of realistic audit entries, read from a
 * directory (the exported layout) or from memory. {@code hashOnlyBaseline} just computes the leaf hashes of the same
 * entries: the floor any verifier pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class VerifierBenchmark {
    static final int ENTRIES = 1 << 17;

    @Param({"directory", "memory"})
    public String source;

    private Map<String, byte[]> log;
    private List<byte[]> entries;
    private Path dir;
    private LogVerifier verifier;
    private LogSource logSource;

    @Setup(Level.Trial)
    public void build() throws Exception {
        NoteSigner signer = NoteSigner.fromSeed("bench.bastion.local/audit", NoteSigner.newSeed());
        verifier = new LogVerifier(signer.verifier());
        entries = new ArrayList<>(ENTRIES);
        for (int i = 0; i < ENTRIES; i++) entries.add(SampleEntries.request("req-" + i).toCanonicalJson());
        log = new HashMap<>();
        TileTree tree = new TileTree();
        for (int i = 0; i < ENTRIES; i++) {
            tree.append(Hashes.leafHash(entries.get(i)), t -> log.put(t.path().path(), t.hashes()));
        }
        for (TileTree.Tile t : tree.partialTiles()) log.put(t.path().path(), t.hashes());
        for (int b = 0; b * TileTree.WIDTH < ENTRIES; b++) {
            int from = b * TileTree.WIDTH;
            int to = Math.min(ENTRIES, from + TileTree.WIDTH);
            log.put(TilePath.entries(b, to - from).path(), EntryBundle.encode(entries.subList(from, to)));
        }
        log.put("checkpoint", signer.sign(new Checkpoint(signer.name(), ENTRIES, tree.root()).text()));
        if (source.equals("directory")) {
            dir = Files.createTempDirectory("bastion-bench-log");
            for (var e : log.entrySet()) {
                Path p = dir.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
            }
            logSource = LogSource.directory(dir);
        } else {
            logSource = path -> Optional.ofNullable(log.get(path));
        }
        if (!verifier.verify(logSource).ok()) throw new IllegalStateException("benchmark log does not verify");
    }

    @TearDown(Level.Trial)
    public void cleanUp() throws Exception {
        if (dir == null) return;
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public VerificationResult verifyLog() throws Exception {
        return verifier.verify(logSource);
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public int hashOnlyBaseline() {
        Hashes h = new Hashes();
        int x = 0;
        for (byte[] e : entries) x += h.leaf(e)[0];
        return x;
    }
}
