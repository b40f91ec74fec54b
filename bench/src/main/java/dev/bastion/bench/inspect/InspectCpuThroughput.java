package dev.bastion.bench.inspect;

import dev.bastion.inspect.Inspector;
import dev.bastion.testing.VariedCorpus;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Inspection speed over a VARIED corpus ({@link VariedCorpus}: 7,119 different texts — PII-dense 2 KiB prompts,
 * docs prose, Java code, chat transcripts, prompts in 12 languages, injection attempts; never one text repeated
 * within a pass), in CPU time rather than wall time, for a machine shared with other work. Headline: MB (UTF-16
 * chars / 1e6) per CPU-second of the whole process (JIT and GC threads included) over timed passes after two warm-up
 * passes; then MB per thread-CPU-second per kind, and the per-text thread CPU of the 2 KiB PII-dense prompts
 * (p50/p90/p99). Run from the repository root:
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/bastion-bench.jar dev.bastion.bench.inspect.InspectCpuThroughput [passes] [--no-injection]</pre>
 */
public final class InspectCpuThroughput {
    public static void main(String[] args) {
        int passes = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 3;
        boolean injection = !List.of(args).contains("--no-injection");
        List<VariedCorpus.Sample> corpus = new ArrayList<>(VariedCorpus.load());
        Collections.shuffle(corpus, new Random(7)); // kinds interleaved, as a gateway sees them
        long chars = corpus.stream().mapToLong(s -> s.text().length()).sum();
        Map<String, long[]> kinds = new TreeMap<>(); // texts, chars, thread-cpu ns
        for (VariedCorpus.Sample s : corpus) {
            long[] k = kinds.computeIfAbsent(s.kind(), x -> new long[3]);
            k[0]++;
            k[1] += s.text().length();
        }
        Inspector inspector = Inspector.builder().injection(injection).budget(Duration.ofSeconds(30), Duration.ZERO).build();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long sink = 0;
        for (int warm = 0; warm < 2; warm++) for (VariedCorpus.Sample s : corpus) sink += inspector.inspect(s.text()).hashCode();
        List<Long> pii = new ArrayList<>();
        long proc0 = os.getProcessCpuTime();
        long thread0 = mx.getCurrentThreadCpuTime();
        for (int pass = 0; pass < passes; pass++) {
            for (VariedCorpus.Sample s : corpus) {
                long c0 = mx.getCurrentThreadCpuTime();
                sink += inspector.inspect(s.text()).hashCode();
                long ns = mx.getCurrentThreadCpuTime() - c0;
                kinds.get(s.kind())[2] += ns;
                if (s.kind().equals("pii2k")) pii.add(ns);
            }
        }
        long proc = os.getProcessCpuTime() - proc0;
        long thread = mx.getCurrentThreadCpuTime() - thread0;
        double mb = chars * (double) passes / 1e6;
        System.out.printf("corpus: %d texts, %.2f MB, %d timed passes, injection %s%n", corpus.size(), chars / 1e6, passes,
                injection ? "on" : "off");
        System.out.printf("process CPU  %7.2f MB per CPU-second  (%.2f s)%n", mb / (proc / 1e9), proc / 1e9);
        System.out.printf("thread CPU   %7.2f MB per CPU-second  (%.2f s)%n", mb / (thread / 1e9), thread / 1e9);
        kinds.forEach((kind, k) -> System.out.printf("  %-13s %5d texts %6.2f MB  %7.2f MB per thread-CPU-s  %7.1f us/text%n",
                kind, k[0], k[1] / 1e6, k[1] * (double) passes / 1e6 / (k[2] / 1e9), k[2] / 1e3 / (k[0] * passes)));
        long[] p = pii.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("pii2k per-text thread CPU: p50 %.0f us, p90 %.0f us, p99 %.0f us (n=%d)%n",
                p[p.length / 2] / 1e3, p[(int) (p.length * 0.9)] / 1e3, p[(int) (p.length * 0.99)] / 1e3, p.length);
        if (sink == 42) System.out.println(Arrays.toString(p)); // keeps the results alive
    }
}
