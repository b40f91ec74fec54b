package dev.bastion.console;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small in-process time series of what the model chain did, for the console's dashboards: 10-second slots for the
 * last 24 hours in a ring (about 8,640 slots, a few MB at most), each holding counts by outcome, refusal reason,
 * finding type, tokens by key and by team, backend errors, and a latency histogram. Label sets are capped per slot
 * (beyond {@value #MAX_LABELS} values, counts go to {@code other}). Prometheus ({@code /metrics}) stays the export
 * for external systems; this is what the console plots without one. Per replica: each replica plots its own traffic.
 */
final class Telemetry {
    static final Duration STEP = Duration.ofSeconds(10);
    static final int SLOTS = 8640;
    static final int MAX_LABELS = 50;
    /** Upper bounds (ms) of the latency histogram's buckets; the last is open. */
    static final long[] LATENCY_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000,
            Long.MAX_VALUE};

    /** One finished model request, as the dashboard counts it (labels only: no content). */
    record Observation(String outcome, String refusal, Map<String, Integer> findings, String key, String team,
                       long tokens, String backend, boolean backendError, long latencyMillis) {}

    private static final class Slot {
        long step = -1;
        final Map<String, Map<String, Long>> counts = new HashMap<>();
        final long[] latency = new long[LATENCY_MS.length];

        void reset(long step) {
            this.step = step;
            counts.clear();
            java.util.Arrays.fill(latency, 0);
        }

        void add(String series, String label, long n) {
            if (label == null || n == 0) return;
            Map<String, Long> m = counts.computeIfAbsent(series, k -> new HashMap<>());
            if (!m.containsKey(label) && m.size() >= MAX_LABELS) label = "other";
            m.merge(label, n, Long::sum);
        }
    }

    private final Slot[] ring = new Slot[SLOTS];
    private final Clock clock;

    Telemetry(Clock clock) {
        this.clock = clock;
        for (int i = 0; i < SLOTS; i++) ring[i] = new Slot();
    }

    void record(Observation o) {
        long step = clock.millis() / STEP.toMillis();
        Slot s = ring[(int) (step % SLOTS)];
        synchronized (s) {
            if (s.step != step) s.reset(step);
            s.add("requests", o.outcome(), 1);
            s.add("refusals", o.refusal(), 1);
            o.findings().forEach((type, n) -> s.add("findings", type, n));
            s.add("tokens_by_key", o.key(), o.tokens());
            s.add("tokens_by_team", o.team(), o.tokens());
            if (o.backendError()) s.add("backend_errors", o.backend(), 1);
            s.latency[bucket(o.latencyMillis())]++;
        }
    }

    static int bucket(long ms) {
        for (int i = 0; i < LATENCY_MS.length; i++) if (ms <= LATENCY_MS[i]) return i;
        return LATENCY_MS.length - 1;
    }

    /**
     * The last {@code window}, in {@code points} equal steps (each a whole number of slots): per series and label,
     * events per minute; latency p50/p90/p99 in milliseconds (upper bucket bounds; null where nothing was served).
     */
    Map<String, Object> window(Duration window, int points) {
        long now = clock.millis() / STEP.toMillis();
        long slots = Math.min(SLOTS, Math.max(points, window.toMillis() / STEP.toMillis()));
        long per = Math.max(1, slots / points);
        long first = now - per * points + 1;
        List<Long> times = new ArrayList<>();
        Map<String, Map<String, double[]>> series = new TreeMap<>();
        Map<String, Double[]> latency = new LinkedHashMap<>();
        for (String q : List.of("p50", "p90", "p99")) latency.put(q, new Double[points]);
        double perMinute = 60_000.0 / (per * STEP.toMillis());
        for (int p = 0; p < points; p++) {
            long[] hist = new long[LATENCY_MS.length];
            long start = first + p * per;
            times.add(start * STEP.toMillis());
            for (long step = start; step < start + per; step++) {
                if (step < 0) continue;
                Slot s = ring[(int) (step % SLOTS)];
                synchronized (s) {
                    if (s.step != step) continue;
                    for (var e : s.counts.entrySet()) {
                        Map<String, double[]> bySeries = series.computeIfAbsent(e.getKey(), k -> new TreeMap<>());
                        for (var l : e.getValue().entrySet()) {
                            bySeries.computeIfAbsent(l.getKey(), k -> new double[points])[p] += l.getValue() * perMinute;
                        }
                    }
                    for (int i = 0; i < hist.length; i++) hist[i] += s.latency[i];
                }
            }
            latency.get("p50")[p] = percentile(hist, 0.50);
            latency.get("p90")[p] = percentile(hist, 0.90);
            latency.get("p99")[p] = percentile(hist, 0.99);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("window_seconds", window.toSeconds());
        out.put("step_seconds", per * STEP.toSeconds());
        out.put("times", times);
        out.put("series", series);
        out.put("latency_ms", latency);
        return out;
    }

    static Double percentile(long[] hist, double q) {
        long total = 0;
        for (long n : hist) total += n;
        if (total == 0) return null;
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < hist.length; i++) {
            seen += hist[i];
            if (seen >= rank) return (double) (i == hist.length - 1 ? LATENCY_MS[i - 1] * 2 : LATENCY_MS[i]);
        }
        return null;
    }
}
