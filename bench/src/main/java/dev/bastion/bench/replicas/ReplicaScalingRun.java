package dev.bastion.bench.replicas;

import dev.bastion.bench.audit.RawHttpClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop throughput of Bastion replicas behind a round-robin balancer: {@code clients} virtual threads each
 * send one chat completion at a time, request {@code i} of a client to replica {@code i mod N}, over keep-alive
 * connections ({@link RawHttpClient}: the JDK client would take CPU from the servers on a small machine). After a
 * warm-up it counts answered requests for a fixed time. Prints one {@code RESULT} line (key=value) for scripts.
 *
 * <p>Run: {@code java -cp bench/target/bastion-bench.jar dev.bastion.bench.replicas.ReplicaScalingRun KEY URL…
 * [--clients 64] [--seconds 20] [--warmup 10] [--model mock-model] [--label NAME]}
 */
public final class ReplicaScalingRun {
    private ReplicaScalingRun() {}

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        int clients = 64;
        int seconds = 20;
        int warmup = 10;
        String model = "mock-model";
        String label = "run";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--model" -> model = args[++i];
                case "--label" -> label = args[++i];
                default -> positional.add(args[i]);
            }
        }
        String key = positional.getFirst();
        List<URI> replicas = positional.subList(1, positional.size()).stream().map(URI::create).toList();
        byte[] body = ("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Summarise the quarterly report in two sentences.\"}],\"max_tokens\":16}")
                .getBytes(StandardCharsets.UTF_8);
        RawHttpClient[] http = new RawHttpClient[replicas.size()];
        for (int i = 0; i < http.length; i++) {
            http[i] = new RawHttpClient(replicas.get(i), "/v1/chat/completions", key, body);
        }

        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        // what failed requests got: a status code or an exception's class (a replica must not fail requests)
        java.util.concurrent.ConcurrentHashMap<String, LongAdder> failures = new java.util.concurrent.ConcurrentHashMap<>();
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        AtomicLong rr = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int me = c;
            latencies[me] = new long[1 << 16];
            threads.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    RawHttpClient target = http[(int) (rr.getAndIncrement() % http.length)];
                    long t0 = System.nanoTime();
                    boolean good;
                    String why;
                    try {
                        RawHttpClient.Answer a = target.send();
                        good = a.status() == 200;
                        why = a.status() + (a.errorCode() == null ? "" : " " + a.errorCode());
                    } catch (Exception e) {
                        good = false;
                        why = e.getClass().getSimpleName();
                    }
                    if (!measuring.get()) continue;
                    if (good) {
                        ok.increment();
                        if (counts[me] < latencies[me].length) latencies[me][counts[me]++] = System.nanoTime() - t0;
                    } else {
                        failed.increment();
                        failures.computeIfAbsent(why, k -> new LongAdder()).increment();
                    }
                }
            }));
        }
        Thread.sleep(warmup * 1000L);
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        for (Thread t : threads) t.join(10_000);
        for (RawHttpClient h : http) h.close();

        int total = 0;
        for (int n : counts) total += n;
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        double rps = ok.sum() / elapsed;
        System.out.printf(Locale.ROOT, "%s: %d replica(s), %d clients: %.0f requests/s, p50 %.2f ms, p99 %.2f ms, %d failed %s%n",
                label, replicas.size(), clients, rps, pct(all, 0.50), pct(all, 0.99), failed.sum(), failures);
        System.out.printf(Locale.ROOT, "RESULT label=%s replicas=%d clients=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f failed=%d%n",
                label, replicas.size(), clients, rps, pct(all, 0.50), pct(all, 0.99), failed.sum());
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }
}
