package dev.bastion.bench.inspect;

import dev.bastion.inspect.Inspection;
import dev.bastion.inspect.Inspector;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Inspection speed on prompt-like English text (prose with a little PII, fixed seed), single thread.
 * {@code throughput}: MB/s = ops/s × size / 1e6 for the full detector set (patterns, gazetteer NER, prompt
 * injection) and for the set without the injection model. {@code latency}: SampleTime percentiles for one 2 KiB
 * prompt. {@code baselineLowercase} is a same-run yardstick (one {@code toLowerCase} pass over the same text) for
 * comparing runs on a noisy machine.
 * <pre>java -jar bench/target/bastion-bench.jar 'inspect.InspectBench' -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InspectBench {
    private static final String[] PROSE = {
            "Can you summarise the following meeting notes and list the action items for next week?",
            "We reviewed the quarterly numbers and agreed that the migration should finish before the end of the month.",
            "The team discussed how to reduce latency in the checkout service without adding more servers.",
            "Please rewrite this paragraph in a friendlier tone, keeping it short and to the point.",
            "Explain the difference between optimistic and pessimistic locking, with a small example in Java.",
            "Draft a polite reply that thanks the customer for the feedback and promises a fix in the next release.",
            "What are the main risks of running the database and the application on the same host?",
            "List three ways to make the onboarding document easier to follow for new engineers.",
    };
    private static final String[] PII = {
            "Contact Sarah Miller at sarah.miller@example.com or +1 415-555-0134.",
            "The patient, a 67-year-old man from Springfield, was admitted on 03/14/2024 with MRN 00482913.",
            "Charge it to card 4111 1111 1111 1111 and send the receipt to 42 Elm Street, Boston, MA 02108.",
            "Our server at 10.20.30.40 uses the key AKIAIOSFODNN7EXAMPLE, please rotate it.",
    };

    @Param({"65536"})
    public int size;

    private String text;
    private String prompt2k;
    private Inspector full;
    private Inspector noInjection;

    public static String promptLike(int size, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(size + 200);
        while (b.length() < size) {
            b.append(r.nextInt(10) == 0 ? PII[r.nextInt(PII.length)] : PROSE[r.nextInt(PROSE.length)]);
            b.append(r.nextInt(6) == 0 ? "\n\n" : " ");
        }
        return b.substring(0, size);
    }

    @Setup(Level.Trial)
    public void setup() {
        text = promptLike(size, 42);
        prompt2k = promptLike(2048, 7);
        full = Inspector.standard();
        noInjection = Inspector.builder().injection(false).build();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Inspection throughputFull() { return full.inspect(text); }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Inspection throughputNoInjection() { return noInjection.inspect(text); }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Inspection latency2k() { return full.inspect(prompt2k); }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public String baselineLowercase() { return text.toLowerCase(Locale.ROOT); }
}
