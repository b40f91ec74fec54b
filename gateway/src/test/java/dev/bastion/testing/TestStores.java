package dev.bastion.testing;

import dev.bastion.store.Database;
import dev.bastion.store.StoreConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Real stores for tests: a SQLite file in a temp directory, or a fresh PostgreSQL database (created on the server
 * {@code bin/test-postgres} starts, dropped on close). Tests that touch storage run against both.
 */
public final class TestStores {
    private static final String PG_URL = envOr("BASTION_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String PG_USER = envOr("BASTION_TEST_PG_USER", "bastion");
    private static final String PG_PASSWORD = envOr("BASTION_TEST_PG_PASSWORD", "bastion");

    private TestStores() {}

    /** Both kinds, for {@code @ParameterizedTest @MethodSource("dev.bastion.testing.TestStores#kinds")}. */
    public static Stream<StoreConfig.Kind> kinds() {
        return Stream.of(StoreConfig.Kind.SQLITE, StoreConfig.Kind.POSTGRES);
    }

    public static Handle open(StoreConfig.Kind kind) {
        return kind == StoreConfig.Kind.SQLITE ? sqlite() : postgres();
    }

    public static Handle sqlite() {
        try {
            Path dir = Files.createTempDirectory("bastion-sqlite");
            StoreConfig config = StoreConfig.sqlite(dir.resolve("bastion.db"));
            return new Handle(config, Database.open(config), () -> TestFiles.deleteTree(dir));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A brand-new PostgreSQL database; a test that cannot reach PostgreSQL fails (run bin/test-postgres). */
    public static Handle postgres() {
        String name = "bastion_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin("CREATE DATABASE " + name);
        StoreConfig config = StoreConfig.postgres(PG_URL + name, PG_USER, new dev.bastion.common.Secret(PG_PASSWORD), 8);
        return new Handle(config, Database.open(config), () -> dropQuietly(name));
    }

    /** A brand-new, empty PostgreSQL database (no migrations applied), for migration tests; dropped on close. */
    public static Empty emptyPostgres() {
        String name = "bastion_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin("CREATE DATABASE " + name);
        return new Empty(StoreConfig.postgres(PG_URL + name, PG_USER, new dev.bastion.common.Secret(PG_PASSWORD), 8),
                () -> dropQuietly(name));
    }

    /** An empty test database and how to get rid of it. */
    public record Empty(StoreConfig config, Runnable cleanup) implements AutoCloseable {
        @Override
        public void close() { cleanup.run(); }
    }

    /**
     * Best effort: an autovacuum worker (a superuser session this role may not terminate) can hold the database for
     * a moment; the test's result must not depend on that, and a leftover database in a test cluster is harmless.
     */
    private static void dropQuietly(String name) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                return;
            } catch (IllegalStateException e) {
                System.err.println("test database " + name + " not dropped yet: " + e.getMessage());
            }
        }
    }

    private static void admin(String sql) {
        try (var c = DriverManager.getConnection(PG_URL + "postgres", PG_USER, PG_PASSWORD);
             var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL for tests is not reachable at " + PG_URL
                    + " (start it with bin/test-postgres): " + e.getMessage(), e);
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** An open test database and how to get rid of it. */
    public record Handle(StoreConfig config, Database db, Runnable cleanup) implements AutoCloseable {
        @Override
        public void close() {
            db.close();
            cleanup.run();
        }
    }
}
