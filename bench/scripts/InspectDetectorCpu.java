import dev.bastion.inspect.*;
import java.lang.management.*;
import java.time.Duration;
import java.util.*;

/**
 * CPU time per detector of the standard inspector over the varied corpus (testing.VariedCorpus; a fresh Text each
 * time, so the tokenizer is timed as its own line), in µs per MB: says which detectors a speed change moved, where
 * InspectCpuThroughput only gives the sum. Run from the repo root against two builds, alternating:
 * <pre>java -cp bench/target/bastion-bench.jar bench/scripts/InspectDetectorCpu.java [seconds]</pre>
 */
public class InspectDetectorCpu {
    public static void main(String[] a) throws Exception {
        int seconds = a.length > 0 ? Integer.parseInt(a[0]) : 8;
        List<String> texts = dev.bastion.testing.VariedCorpus.load().stream().map(s -> s.text()).toList();
        long chars = texts.stream().mapToLong(String::length).sum();
        Inspector inspector = Inspector.builder().budget(Duration.ofSeconds(30), Duration.ZERO).build();
        var field = Inspector.class.getDeclaredField("detectors"); // the same list, in the same order, as inspect()
        field.setAccessible(true);
        @SuppressWarnings("unchecked") List<Detector> detectors = (List<Detector>) field.get(inspector);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] ns = new long[detectors.size() + 1];
        for (int round = 0; round < 2; round++) { // round 0 warms the JIT
            Arrays.fill(ns, 0);
            long passes = 0;
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
              passes++;
              for (String text : texts) {
                Text t = new Text(text);
                List<Finding> out = new ArrayList<>();
                long c0 = mx.getCurrentThreadCpuTime();
                t.tokenCount();
                long c1 = mx.getCurrentThreadCpuTime();
                ns[0] += c1 - c0;
                for (int k = 0; k < detectors.size(); k++) {
                    c0 = c1;
                    detectors.get(k).detect(t, out);
                    c1 = mx.getCurrentThreadCpuTime();
                    ns[k + 1] += c1 - c0;
                }
              }
            }
            if (round == 0) continue;
            long total = Arrays.stream(ns).sum();
            double mb = passes * chars / 1e6;
            System.out.printf("%-18s %8.0f us per MB  (%.2f MB per CPU-second)%n", "total", total / 1e3 / mb, mb / (total / 1e9));
            System.out.printf("%-18s %8.0f us per MB%n", "tokenize", ns[0] / 1e3 / mb);
            for (int k = 0; k < detectors.size(); k++) {
                System.out.printf("%-18s %8.0f us per MB%n", detectors.get(k).name(), ns[k + 1] / 1e3 / mb);
            }
        }
    }
}
