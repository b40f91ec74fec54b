package dev.bastion.bench.engine;

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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the worker process adds to local inference (see {@link EnginePair}). {@code generate*}: a whole
 * {@code tokens}-token completion (tokens/s = tokens / time); {@code firstToken*}: a one-token completion, streamed
 * through the worker (time to first token). JMH runs the four one after another, so on a noisy machine prefer
 * {@link EngineOverheadRun}, which interleaves them.
 *
 * <p>Run: {@code java -jar bench/target/bastion-bench.jar EngineOverhead -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// the binding leaves a non-daemon native thread behind: let JMH end the fork at once instead of waiting 30 s
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-Djmh.shutdownTimeout=0"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 5)
public class EngineOverheadBenchmark {

    @Param({"128"})
    public int tokens;

    @Param({"2"})
    public int threads;

    private EnginePair pair;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        pair = new EnginePair(tokens, threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        pair.close();
    }

    @Benchmark
    public String generateInProcess() { return pair.generateInProcess(); }

    @Benchmark
    public int generateViaWorker() { return pair.generateViaWorker(); }

    @Benchmark
    public String firstTokenInProcess() { return pair.firstTokenInProcess(); }

    @Benchmark
    public int firstTokenViaWorker() { return pair.firstTokenViaWorker(); }
}
