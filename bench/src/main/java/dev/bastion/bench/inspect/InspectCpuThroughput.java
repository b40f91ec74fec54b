package dev.bastion.bench.inspect;

import dev.bastion.inspect.Inspector;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * Inspection throughput per CPU-second of the inspecting thread (not wall time), for a machine shared with other
 * work where JMH's wall-clock figures mostly measure the neighbours. Same text as {@link InspectBench}: 64 KiB of
 * prompt-like English. Prints MB per CPU-second for the full detector set and without the injection model, and the
 * same for one {@code toLowerCase} pass as a yardstick.
 * <pre>java -cp bench/target/bastion-bench.jar dev.bastion.bench.inspect.InspectCpuThroughput [seconds]</pre>
 */
public final class InspectCpuThroughput {
    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String text = InspectBench.promptLike(65536, 42);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Inspector full = Inspector.builder().budget(Duration.ofSeconds(30), Duration.ZERO).build();
        Inspector noInj = Inspector.builder().injection(false).budget(Duration.ofSeconds(30), Duration.ZERO).build();
        Inspector rules = Inspector.builder().recognizer(dev.bastion.inspect.GazetteerEntityRecognizer.rulesOnly())
                .budget(Duration.ofSeconds(30), Duration.ZERO).build();
        for (int round = 0; round < 2; round++) { // round 0 warms the JIT
            double f = run(mx, () -> full.inspect(text), text.length(), seconds);
            double n = run(mx, () -> noInj.inspect(text), text.length(), seconds);
            double r = run(mx, () -> rules.inspect(text), text.length(), seconds);
            double b = run(mx, () -> text.toLowerCase(java.util.Locale.ROOT), text.length(), Math.max(1, seconds / 5));
            if (round == 1) {
                System.out.printf("full detector set     %7.1f MB per CPU-second%n", f);
                System.out.printf("without injection     %7.1f MB per CPU-second%n", n);
                System.out.printf("full, NER rules only  %7.1f MB per CPU-second%n", r);
                System.out.printf("baseline toLowerCase  %7.1f MB per CPU-second%n", b);
            }
        }
    }

    private static double run(ThreadMXBean mx, Runnable op, int size, int seconds) {
        long cpu0 = mx.getCurrentThreadCpuTime();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long ops = 0;
        while (System.nanoTime() < end) {
            op.run();
            ops++;
        }
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        return ops * (double) size / (cpu / 1e9) / 1e6;
    }
}
