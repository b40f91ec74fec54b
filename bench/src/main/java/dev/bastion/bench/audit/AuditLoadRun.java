package dev.bastion.bench.audit;

import java.net.URI;
import java.net.http.HttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load at a fixed rate against a chat-completions endpoint: request {@code i} is due at
 * {@code start + i / rate} whether or not earlier ones have been answered, and its latency is measured from that due
 * time (so a stalled server is not hidden by a client that waits — no coordinated omission), each on a virtual
 * thread over pooled keep-alive connections ({@link RawHttpClient}). After a warm-up phase
 * it measures for a fixed time and reports client-side end-to-end p50/p99/p99.9 and, when the target is Bastion,
 * the server's own {@code bastion.audit.append} and {@code bastion.request.duration} histograms over the measured
 * phase only (from /metrics before and after).
 *
 * <p>Run: {@code java -cp bench/target/bastion-bench.jar dev.bastion.bench.audit.AuditLoadRun URL [KEY]
 * [--rate 1000] [--seconds 20] [--warmup 10] [--label NAME] [--model ALIAS]}. Prints a human summary and one
 * {@code RESULT} line (key=value) for scripts.
 */
public final class AuditLoadRun {
    private AuditLoadRun() {}

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        double rate = 1000;
        int seconds = 20;
        int warmup = 10;
        String label = "run";
        String model = "mock-model";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--label" -> label = args[++i];
                case "--model" -> model = args[++i];
                default -> positional.add(args[i]);
            }
        }
        if (positional.isEmpty()) {
            System.err.println("usage: AuditLoadRun BASE_URL [API_KEY] [--rate R] [--seconds S] [--warmup W] [--label L]");
            System.exit(2);
        }
        URI base = URI.create(positional.get(0).replaceAll("/+$", ""));
        String key = positional.size() > 1 ? positional.get(1) : null;
        String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";

        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
             RawHttpClient client = new RawHttpClient(base, base.getPath() + "/v1/chat/completions", key,
                     body.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            Phase warm = run(client, rate, warmup);
            MetricsSnapshot before = key == null ? null : MetricsSnapshot.scrape(http, base);
            String loadBefore = loadAverage();
            Phase measured = run(client, rate, seconds);
            String loadAfter = loadAverage();
            MetricsSnapshot after = key == null ? null : MetricsSnapshot.scrape(http, base);

            long[] lat = measured.sortedMicros();
            double achieved = measured.completed() / (measured.elapsedNanos() / 1e9);
            System.out.printf(Locale.ROOT, "%s: %.0f req/s offered for %d s (after %d s warm-up, %d errors there)%n",
                    label, rate, seconds, warmup, warm.errors.get());
            System.out.printf(Locale.ROOT, "  completed %d (%.0f/s), errors %d, without audit index %d%n",
                    measured.completed(), achieved, measured.errors.get(), measured.noIndex.get());
            System.out.printf(Locale.ROOT, "  end-to-end (client, from due time): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                    pct(lat, 0.50), pct(lat, 0.99), pct(lat, 0.999), lat.length == 0 ? 0 : lat[lat.length - 1] / 1000.0);
            StringBuilder result = new StringBuilder("RESULT label=" + label);
            result.append(String.format(Locale.ROOT, " rate=%.0f achieved=%.0f errors=%d e2e_p50_ms=%.3f e2e_p99_ms=%.3f e2e_p999_ms=%.3f",
                    rate, achieved, measured.errors.get() + measured.noIndexIfExpected(key), pct(lat, 0.50), pct(lat, 0.99), pct(lat, 0.999)));
            if (before != null && after != null) {
                Histogram append = after.histogram("bastion_audit_append_seconds", "outcome=\"stored\"")
                        .minus(before.histogram("bastion_audit_append_seconds", "outcome=\"stored\""));
                Histogram server = after.histogram("bastion_request_duration_seconds", "status=\"200\"")
                        .minus(before.histogram("bastion_request_duration_seconds", "status=\"200\""));
                System.out.printf(Locale.ROOT, "  audit accept append (server histogram, %d samples): p50 %.3f ms, p99 %.3f ms (p99 bucket ≤ %.3f ms)%n",
                        append.count(), append.quantile(0.5) * 1e3, append.quantile(0.99) * 1e3,
                        append.bucketBound(0.99) * 1e3);
                System.out.printf(Locale.ROOT, "  request duration (server histogram, %d samples): p50 %.3f ms, p99 %.3f ms%n",
                        server.count(), server.quantile(0.5) * 1e3, server.quantile(0.99) * 1e3);
                result.append(String.format(Locale.ROOT, " append_n=%d append_p50_ms=%.3f append_p99_ms=%.3f append_p99_bucket_ms=%.3f server_p50_ms=%.3f server_p99_ms=%.3f",
                        append.count(), append.quantile(0.5) * 1e3, append.quantile(0.99) * 1e3,
                        append.bucketBound(0.99) * 1e3, server.quantile(0.5) * 1e3, server.quantile(0.99) * 1e3));
            }
            System.out.printf("  load average before/after: %s / %s%n", loadBefore, loadAfter);
            result.append(" load_before=").append(loadBefore.replace(' ', ',')).append(" load_after=")
                    .append(loadAfter.replace(' ', ','));
            System.out.println(result);
        }
    }

    /** One phase of open-loop load. */
    private record Phase(long[] micros, AtomicInteger errors, AtomicInteger noIndex, long elapsedNanos, int sent) {
        int completed() { return sent - errors.get(); }

        long noIndexIfExpected(String key) { return key == null ? 0 : noIndex.get(); }

        long[] sortedMicros() {
            long[] ok = Arrays.stream(micros).filter(m -> m >= 0).toArray();
            Arrays.sort(ok);
            return ok;
        }
    }

    private static Phase run(RawHttpClient client, double rate, int seconds) {
        int n = (int) Math.round(rate * seconds);
        long[] micros = new long[n];
        Arrays.fill(micros, -1);
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger noIndex = new AtomicInteger();
        double interval = 1e9 / rate;
        long start = System.nanoTime();
        try (var requests = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                long due = start + (long) (i * interval);
                for (long wait; (wait = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
                int slot = i;
                requests.execute(() -> {
                    try {
                        RawHttpClient.Answer a = client.send();
                        long done = System.nanoTime();
                        if (a.status() != 200) {
                            errors.incrementAndGet();
                        } else {
                            micros[slot] = (done - due) / 1000;
                            if (!a.auditIndex()) noIndex.incrementAndGet();
                        }
                    } catch (IOException | RuntimeException e) {
                        errors.incrementAndGet();
                    }
                });
            }
        } // waits for every request to end
        return new Phase(micros, errors, noIndex, System.nanoTime() - start, n);
    }

    private static double pct(long[] sortedMicros, double q) {
        if (sortedMicros.length == 0) return Double.NaN;
        int i = (int) Math.ceil(q * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(i, sortedMicros.length - 1))] / 1000.0;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "n/a";
        }
    }
}
