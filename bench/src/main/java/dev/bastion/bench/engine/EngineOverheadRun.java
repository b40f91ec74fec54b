package dev.bastion.bench.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Interleaved A/B measurement of the worker's overhead, robust to a machine whose load changes during the run: each
 * round times in-process and via-worker back to back (alternating which goes first), and the report gives medians
 * and the median of the per-round ratios and differences. Before the rounds, two thousand one-token requests
 * ({@code -Dbench.warmupCalls}, default 2000) bring the gateway's Java path to its compiled steady state. Bastion is
 * called through {@link LeanHttpClient} (as lean as the worker path's client); {@code -Dbench.gatewayClient=jdk}
 * uses java.net.http instead. "first text of stream" is the time to the first generated text of a full-length
 * stream, i.e. what a streaming client waits for, output window included.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/bastion-bench.jar
 * dev.bastion.bench.engine.EngineOverheadRun [rounds=15] [tokens=128] [threads=2]}
 */
public final class EngineOverheadRun {
    private EngineOverheadRun() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int ttftSamples = 7;
        try (EnginePair pair = new EnginePair(tokens, threads)) {
            for (int i = 0; i < 3; i++) { // warm-up: JIT on both sides, llama.cpp caches
                pair.generateInProcess();
                pair.generateViaWorker();
                pair.generateViaGateway();
                for (int k = 0; k < ttftSamples; k++) {
                    pair.firstTokenInProcess();
                    pair.firstTokenViaWorker();
                    pair.firstTokenViaGateway();
                }
            }
            // the gateway's request path is Java: bring it to a compiled steady state (as a server has after a few
            // minutes of traffic) so that the figures are not the JIT's first tiers. After 300 calls the stages still
            // took 2-3x their steady time (parse 0.16 vs 0.06 ms, authorize 0.26 vs 0.09): C2 had not caught up yet
            int warm = Integer.getInteger("bench.warmupCalls", 2000);
            for (int i = 0; i < warm; i++) {
                pair.firstTokenViaGateway();
                pair.firstTokenViaWorker();
            }
            List<double[]> genGw = new ArrayList<>();
            List<double[]> ttftGw = new ArrayList<>();
            List<double[]> gen = new ArrayList<>();
            List<double[]> ttft = new ArrayList<>();
            List<double[]> visible = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                boolean workerFirst = r % 2 == 1;
                gen.add(pairTimed(workerFirst, pair::generateInProcess, pair::generateViaWorker));
                double[] a = new double[ttftSamples];
                double[] b = new double[ttftSamples];
                for (int k = 0; k < ttftSamples; k++) {
                    double[] t = pairTimed((r + k) % 2 == 1, pair::firstTokenInProcess, pair::firstTokenViaWorker);
                    a[k] = t[0];
                    b[k] = t[1];
                }
                ttft.add(new double[]{median(a), median(b)});
                genGw.add(pairTimed(workerFirst, pair::generateInProcess, pair::generateViaGateway));
                double[] c = new double[ttftSamples];
                double[] d = new double[ttftSamples];
                for (int k = 0; k < ttftSamples; k++) {
                    double[] t = pairTimed((r + k) % 2 == 1, pair::firstTokenInProcess, pair::firstTokenViaGateway);
                    c[k] = t[0];
                    d[k] = t[1];
                }
                ttftGw.add(new double[]{median(c), median(d)});
                visible.add(firstVisible(pair, r));
            }
            report("generate " + tokens + " tokens", gen, tokens, "via worker");
            report("time to first token", ttft, 0, "via worker");
            report("generate " + tokens + " tokens", genGw, tokens, "via Bastion");
            report("time to first token", ttftGw, 0, "via Bastion");
            List<double[]> visWorker = visible.stream().map(v -> new double[]{v[0], v[1]}).toList();
            List<double[]> visGw = visible.stream().map(v -> new double[]{v[0], v[2]}).toList();
            report("first text of stream", visWorker, 0, "via worker");
            report("first text of stream", visGw, 0, "via Bastion");
        }
        Runtime.getRuntime().halt(0); // the binding's native thread would keep the JVM alive
    }

    /**
     * Time to the first generated text of a full-length stream (not a one-token request), as a streaming client
     * sees it: {in-process, via worker, via Bastion}, in rotating order.
     */
    private static double[] firstVisible(EnginePair pair, int round) {
        double[] t = new double[3];
        for (int i = 0; i < 3; i++) {
            int which = (round + i) % 3;
            t[which] = switch (which) {
                case 0 -> pair.firstVisibleInProcess();
                case 1 -> pair.firstVisibleViaWorker();
                default -> pair.firstVisibleViaGateway();
            };
        }
        return t;
    }

    /** @return {in-process ms, via-worker ms} */
    private static double[] pairTimed(boolean workerFirst, Supplier<?> inProcess, Supplier<?> viaWorker) {
        double a;
        double b;
        if (workerFirst) {
            b = timed(viaWorker);
            a = timed(inProcess);
        } else {
            a = timed(inProcess);
            b = timed(viaWorker);
        }
        return new double[]{a, b};
    }

    private static double timed(Supplier<?> s) {
        long t0 = System.nanoTime();
        s.get();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static void report(String what, List<double[]> rows, int tokens, String path) {
        double[] a = rows.stream().mapToDouble(r -> r[0]).toArray();
        double[] b = rows.stream().mapToDouble(r -> r[1]).toArray();
        double[] ratio = rows.stream().mapToDouble(r -> r[1] / r[0]).toArray();
        double[] diff = rows.stream().mapToDouble(r -> r[1] - r[0]).toArray();
        System.out.printf(Locale.ROOT, "%-22s in-process median %9.2f ms | %s median %9.2f ms | "
                        + "per-round ratio median %.3f (%+.1f %%) | per-round difference median %+.2f ms%n",
                what, median(a), path, median(b), median(ratio), (median(ratio) - 1) * 100, median(diff));
        if (tokens > 0) {
            System.out.printf(Locale.ROOT, "%-22s tokens/s in-process %.1f | %s %.1f%n", "",
                    tokens * 1000 / median(a), path, tokens * 1000 / median(b));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
