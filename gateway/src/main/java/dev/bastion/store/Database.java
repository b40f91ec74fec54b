package dev.bastion.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The one JDBC entry point: a connection pool over SQLite (embedded default) or PostgreSQL, migrated at open by the
 * Flyway scripts in {@code db/migration} — one set of scripts written in the SQL both engines accept, with
 * placeholders for the few type names that differ.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final StoreConfig config;

    private Database(HikariDataSource dataSource, StoreConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** Opens the pool and applies pending migrations; fails if the store cannot be reached or migrated. */
    public static Database open(StoreConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.url());
        hc.setPoolName("bastion-store");
        hc.setMaximumPoolSize(Math.max(1, config.poolSize()));
        hc.setConnectionTimeout(5_000);
        hc.setValidationTimeout(2_000);
        hc.setInitializationFailTimeout(5_000);
        if (config.kind() == StoreConfig.Kind.SQLITE) {
            createPrivately(config.url());
            // WAL lets readers run beside the single writer; FULL makes each commit durable (audit relies on it)
            hc.addDataSourceProperty("journal_mode", "WAL");
            hc.addDataSourceProperty("synchronous", "FULL");
            hc.addDataSourceProperty("busy_timeout", "10000");
            hc.addDataSourceProperty("foreign_keys", "true");
            // transactions take the write lock when they begin: a read-then-write transaction could otherwise not
            // upgrade after another connection wrote, and SQLite answers that with an immediate SQLITE_BUSY
            hc.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            hc.setConnectionInitSql("PRAGMA busy_timeout = 10000");
        } else {
            hc.setUsername(config.user());
            hc.setPassword(config.password().value());
        }
        HikariDataSource ds = new HikariDataSource(hc);
        try {
            migrate(ds, config.kind());
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, config);
    }

    /**
     * Creates the SQLite file 0600 (in a 0700 directory) before SQLite does, since SQLite would create it with the
     * process umask (0644 by default); its -wal and -shm files take the database file's permissions.
     */
    private static void createPrivately(String url) {
        String path = url.substring("jdbc:sqlite:".length());
        int q = path.indexOf('?');
        if (q >= 0) path = path.substring(0, q);
        if (path.isEmpty() || path.equals(":memory:") || path.startsWith("file:")) return;
        try {
            dev.bastion.common.PrivateFiles.ensureFile(java.nio.file.Path.of(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create the database file " + path, e);
        }
    }

    private static void migrate(DataSource ds, StoreConfig.Kind kind) {
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .placeholders(placeholders(kind))
                .loggers("slf4j")
                .load()
                .migrate();
    }

    /** The type names the migrations' placeholders stand for on each engine (tests that migrate by hand use them). */
    public static Map<String, String> placeholders(StoreConfig.Kind kind) {
        return kind == StoreConfig.Kind.SQLITE
                ? Map.of("bytes", "BLOB", "now_millis", "(CAST(strftime('%s','now') AS INTEGER) * 1000)",
                        "path_text", "TEXT")
                // byte-order text, as SQLite compares it: prefix range scans mean the same on both engines
                : Map.of("bytes", "BYTEA", "now_millis", "(CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT))",
                        "path_text", "TEXT COLLATE \"C\"");
    }

    public Connection connection() throws SQLException { return dataSource.getConnection(); }

    public DataSource dataSource() { return dataSource; }

    public StoreConfig.Kind kind() { return config.kind(); }

    public boolean isPostgres() { return config.kind() == StoreConfig.Kind.POSTGRES; }

    /**
     * A connection outside the pool, for a session that lives as long as the server (PostgreSQL {@code LISTEN}):
     * holding a pooled one would shrink the pool and fight its maximum lifetime.
     */
    public Connection dedicatedConnection() throws SQLException {
        return config.kind() == StoreConfig.Kind.SQLITE
                ? java.sql.DriverManager.getConnection(config.url())
                : java.sql.DriverManager.getConnection(config.url(), config.user(), config.password().value());
    }

    /** SQL for the database server's clock in epoch milliseconds (one clock for every replica). */
    public String nowMillisSql() {
        return config.kind() == StoreConfig.Kind.SQLITE
                ? "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
                : "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    }

    /** A cheap round trip, for readiness checks. */
    public boolean ping() {
        try (Connection c = connection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() { dataSource.close(); }
}
