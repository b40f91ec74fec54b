package dev.bastion.bench;

import dev.bastion.audit.SigningKeyStore;
import dev.bastion.common.Secret;
import dev.bastion.store.StoreConfig;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A store for a benchmark run: a SQLite file in {@code dir}, or a fresh PostgreSQL database (server from
 * {@code BASTION_BENCH_PG_URL}, user and password from {@code BASTION_BENCH_PG_USER}/{@code _PASSWORD}) dropped by
 * {@link #close()}.
 */
public final class BenchStore implements AutoCloseable {
    private static final String PG = env("BASTION_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = env("BASTION_BENCH_PG_USER", "bastion");
    private static final String PASSWORD = env("BASTION_BENCH_PG_PASSWORD", "bastion");

    public final StoreConfig config;
    private final String pgName;

    private BenchStore(StoreConfig config, String pgName) {
        this.config = config;
        this.pgName = pgName;
    }

    /** @param kind {@code sqlite} or {@code postgres} */
    public static BenchStore create(String kind, Path dir) throws SQLException {
        if (!kind.equals("postgres")) return new BenchStore(StoreConfig.sqlite(dir.resolve("bastion.db")), null);
        String name = "bastion_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + name);
        return new BenchStore(StoreConfig.postgres(PG + name, USER, new Secret(PASSWORD), 16), name);
    }

    @Override
    public void close() {
        if (pgName == null) return;
        try {
            admin("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
        } catch (SQLException e) {
            System.out.println("could not drop " + pgName + ": " + e.getMessage());
        }
    }

    /** A signing key held only in memory: a benchmark's log lives as long as its throw-away store. */
    public static SigningKeyStore throwAwayKey() {
        return java.util.function.Supplier::get;
    }

    private static void admin(String sql) throws SQLException {
        try (var c = DriverManager.getConnection(PG + "postgres", USER, PASSWORD); var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
