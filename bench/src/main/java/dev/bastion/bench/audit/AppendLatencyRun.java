package dev.bastion.bench.audit;

import dev.bastion.audit.AuditConfig;
import dev.bastion.audit.AuditLedger;
import dev.bastion.bench.BenchStore;
import dev.bastion.store.Database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The ledger alone at a fixed rate: accept-sized appends, open loop (append {@code i} is due at {@code i / rate},
 * latency from its due time), each followed by its complete entry (asynchronously, as the server does), with the
 * integrator running. No HTTP, no pipeline: what a durable append costs on this store and disk.
 *
 * <p>Run: {@code java -cp bench/target/bastion-bench.jar dev.bastion.bench.audit.AppendLatencyRun
 * [sqlite|postgres] [rate=1000] [seconds=20] [warmup=5] [data-dir]}
 */
public final class AppendLatencyRun {
    private AppendLatencyRun() {}

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "sqlite";
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 1000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Path dir = Files.createTempDirectory(args.length > 4 ? Path.of(args[4]) : Path.of(System.getProperty("java.io.tmpdir")),
                "bastion-append");
        try (BenchStore store = BenchStore.create(kind, dir); Database db = Database.open(store.config);
             AuditLedger ledger = AuditLedger.open(db, AuditConfig.defaults("bench.bastion.local/audit"),
                     BenchStore.throwAwayKey(), Clock.systemUTC())) {
            phase(ledger, rate, warmup);
            String before = load();
            long[] lat = phase(ledger, rate, seconds);
            System.out.printf(Locale.ROOT, "%s %s: %.0f appends/s for %d s: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, "
                            + "p99.9 %.3f ms, max %.3f ms; load %s -> %s%n", kind, dir.getParent(), rate, seconds,
                    pct(lat, .5), pct(lat, .9), pct(lat, .99), pct(lat, .999), lat[lat.length - 1] / 1000.0, before, load());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long[] phase(AuditLedger ledger, double rate, int seconds) {
        int n = (int) Math.round(rate * seconds);
        long[] micros = new long[n];
        AtomicInteger failed = new AtomicInteger();
        double interval = 1e9 / rate;
        long start = System.nanoTime();
        try (var appenders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                long due = start + (long) (i * interval);
                for (long wait; (wait = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
                int slot = i;
                appenders.execute(() -> {
                    try {
                        long index = ledger.append(SampleEntries.request("req-" + slot + "-" + due));
                        micros[slot] = (System.nanoTime() - due) / 1000;
                        ledger.appendAsync(SampleEntries.complete("req-" + slot + "-" + due, index));
                    } catch (Exception e) {
                        micros[slot] = Long.MAX_VALUE;
                        failed.incrementAndGet();
                    }
                });
            }
        }
        if (failed.get() > 0) System.out.println(failed.get() + " appends failed");
        Arrays.sort(micros);
        return micros;
    }

    private static double pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1000.0;
    }

    private static String load() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (Exception e) {
            return "n/a";
        }
    }
}
