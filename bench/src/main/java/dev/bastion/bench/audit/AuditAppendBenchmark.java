package dev.bastion.bench.audit;

import dev.bastion.audit.AuditConfig;
import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.store.Database;
import dev.bastion.store.StoreConfig;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable audit appends per second with 64 concurrent writers (each append returns only after its entry is
 * committed and fsync'd), on SQLite and on PostgreSQL, with the integrator signing checkpoints alongside.
 * {@code naiveCommitPerAppend} is the baseline: the same entry, one transaction per append, no group commit.
 * PostgreSQL: BASTION_BENCH_PG_URL (default jdbc:postgresql://127.0.0.1:5432/), _USER, _PASSWORD (bastion).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(64)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class AuditAppendBenchmark {
    private static final String PG = env("BASTION_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String PG_USER = env("BASTION_BENCH_PG_USER", "bastion");
    private static final String PG_PASSWORD = env("BASTION_BENCH_PG_PASSWORD", "bastion");

    @Param({"sqlite", "postgres"})
    public String store;

    private Database db;
    private AuditLedger ledger;
    private Path dir;
    private String pgName;
    private final AtomicLong ids = new AtomicLong();

    @Setup(Level.Trial)
    public void open() throws Exception {
        StoreConfig config;
        if (store.equals("sqlite")) {
            dir = Files.createTempDirectory("bastion-bench");
            config = StoreConfig.sqlite(dir.resolve("bastion.db"));
        } else {
            pgName = "bastion_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            admin("CREATE DATABASE " + pgName);
            config = StoreConfig.postgres(PG + pgName, PG_USER, new dev.bastion.common.Secret(PG_PASSWORD), 16);
        }
        db = Database.open(config);
        ledger = AuditLedger.open(db, AuditConfig.defaults("bench.bastion.local/audit"),
                throwAwayKey(), Clock.systemUTC());
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        AuditLedger.Stats stats = ledger.stats();
        if (stats.transactions() > 0) {
            System.out.printf("%n[audit] %d appends in %d transactions (%.1f per transaction)%n", stats.appended(),
                    stats.transactions(), (double) stats.appended() / stats.transactions());
        }
        ledger.close();
        db.close();
        if (pgName != null) {
            try {
                admin("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
            } catch (java.sql.SQLException e) {
                // a session of another role (monitoring) may be connected: a failed clean-up must not void the
                // measurement (JMH drops the last iteration when the tear-down throws)
                System.out.println("[audit] could not drop " + pgName + ": " + e.getMessage());
            }
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Benchmark
    public long groupCommittedAppend() throws AuditUnavailableException {
        return ledger.append(SampleEntries.request("req-" + ids.incrementAndGet()));
    }

    @Benchmark
    public int naiveCommitPerAppend() throws Exception {
        byte[] entry = SampleEntries.request("req-" + ids.incrementAndGet()).toCanonicalJson();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO server_state (name, value) VALUES (?, ?)")) {
                ps.setString(1, "bench-" + ids.incrementAndGet());
                ps.setBytes(2, entry);
                int n = ps.executeUpdate();
                c.commit();
                return n;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void admin(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(PG + "postgres", PG_USER, PG_PASSWORD);
             var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** A signing key held only in memory: the benchmark's log lives as long as its throw-away database. */
    private static dev.bastion.audit.SigningKeyStore throwAwayKey() {
        return java.util.function.Supplier::get;
    }
}
