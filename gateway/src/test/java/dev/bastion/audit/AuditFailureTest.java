package dev.bastion.audit;

import dev.bastion.testing.PlaintextSigningKeyStore;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * When storage fails, appends fail with {@link AuditUnavailableException} and nothing is half-written: no entry of
 * a failed transaction is visible, the index sequence does not move, and appending resumes contiguously once the
 * storage is back. Real failures: SQLite "database or disk is full", a read-only PostgreSQL database, PostgreSQL
 * refusing connections.
 */
class AuditFailureTest {

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void everyAppenderOfAFailedTransactionGetsATypedErrorAndNothingIsStored(StoreConfig.Kind kind) throws Exception {
        try (var store = TestStores.open(kind);
             var ledger = open(store)) {
            assertThat(ledger.append(AuditEntryTest.request("before"))).isZero();
            // a row squatting on the next index makes every transaction fail (an inconsistent store)
            try (Connection c = store.db().connection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO audit_entries (idx, data) VALUES (1, " + literalBytes(kind) + ")");
            }
            List<AuditEntry> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) batch.add(AuditEntryTest.request("batch-" + i));
            List<Throwable> failures = appendConcurrently(ledger, batch);
            assertThat(failures).hasSize(10).allSatisfy(f -> assertThat(f).isInstanceOf(AuditUnavailableException.class)
                    .hasMessageNotContaining("batch-"));
            assertThat(rows(store)).isEqualTo(2); // "before" and the squatter, none of the batch
            assertThat(nextIndex(store)).isEqualTo(1);
            try (Connection c = store.db().connection(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM audit_entries WHERE idx = 1");
            }
            assertThat(ledger.append(AuditEntryTest.request("after"))).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aTransactionThatFailsHalfwayIsRolledBackWholeAndTheWriterRecovers(StoreConfig.Kind kind) throws Exception {
        try (var store = TestStores.open(kind); Connection c = store.db().connection();
             var appender = new LedgerAppender(new LedgerStore(store.db()))) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO audit_entries (idx, data) VALUES (200, " + literalBytes(kind) + ")");
            }
            List<byte[]> entries = new ArrayList<>();
            for (int i = 0; i < 300; i++) entries.add(AuditEntryTest.request("r" + i).toCanonicalJson());
            // SQLite: the sequence update and the first 200 inserts succeed before row 200 collides;
            // PostgreSQL: the same work is one statement
            assertThatThrownBy(() -> appender.append(entries)).isInstanceOf(SQLException.class);
            assertThat(rows(store)).isEqualTo(1);
            assertThat(nextIndex(store)).isZero();
            // the failed transaction left nothing behind on the writer's side either: the next batch starts at 0
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM audit_entries WHERE idx = 200");
            }
            assertThat(appender.append(entries.subList(0, 2))).isZero();
            assertThat(appender.append(entries.subList(2, 3))).isEqualTo(2);
            assertThat(rows(store)).isEqualTo(3);
            assertThat(nextIndex(store)).isEqualTo(3);
        }
    }

    @Test
    void sqliteDiskFullIsATypedErrorAndNothingIsHalfWritten() throws Exception {
        try (var store = TestStores.sqlite(); var ledger = open(store)) {
            setMaxPageCount(store, true); // before the writer takes a connection: every pooled one is capped
            List<AuditEntry> big = new ArrayList<>();
            for (int i = 0; i < 40; i++) big.add(bigEntry("full-" + i));
            List<Throwable> failures = appendConcurrently(ledger, big);
            // the batch that hit the full disk failed whole; SQLite's connection is then replaced, so a later
            // batch may succeed — each append either failed typed or is stored, and the store holds exactly those
            assertThat(failures).isNotEmpty()
                    .allSatisfy(f -> assertThat(f).isInstanceOf(AuditUnavailableException.class)
                            .hasMessageNotContaining("full-"));
            assertThat(failures.getFirst()).rootCause().hasMessageContaining("SQLITE_FULL");
            long stored = big.size() - failures.size();
            setMaxPageCount(store, false);
            assertThat(rows(store)).isEqualTo(stored);
            assertThat(nextIndex(store)).isEqualTo(stored);
            assertThat(ledger.append(AuditEntryTest.request("after"))).isEqualTo(stored);
        }
    }

    @Test
    void postgresReadOnlyAndDownAreTypedErrorsAndNothingIsHalfWritten() throws Exception {
        try (var store = TestStores.postgres(); var ledger = open(store);
             Connection admin = DriverManager.getConnection(
                     store.config().url().substring(0, store.config().url().lastIndexOf('/') + 1) + "postgres",
                     store.config().user(), store.config().password().value())) {
            for (int i = 0; i < 5; i++) ledger.append(AuditEntryTest.request("ok-" + i));
            String db = store.config().url().substring(store.config().url().lastIndexOf('/') + 1);

            exec(admin, "ALTER DATABASE " + db + " SET default_transaction_read_only = on");
            terminate(admin, db);
            List<Throwable> failures = appendConcurrently(ledger, List.of(AuditEntryTest.request("ro-1"),
                    AuditEntryTest.request("ro-2"), AuditEntryTest.request("ro-3")));
            assertThat(failures).hasSize(3).allSatisfy(f -> assertThat(f).isInstanceOf(AuditUnavailableException.class));
            exec(admin, "ALTER DATABASE " + db + " SET default_transaction_read_only = off");

            exec(admin, "ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
            terminate(admin, db);
            long start = System.nanoTime();
            assertThatThrownBy(() -> ledger.append(AuditEntryTest.request("down")))
                    .isInstanceOf(AuditUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
            exec(admin, "ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");

            try (Connection c = DriverManager.getConnection(store.config().url(), store.config().user(),
                    store.config().password().value()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), (SELECT next_index FROM audit_sequence) FROM audit_entries")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(5);
                assertThat(rs.getLong(2)).isEqualTo(5);
            }
            // storage is back: appends resume where they stopped (no gap) once the pool has reconnected
            long[] next = {-1};
            Await.until(Duration.ofSeconds(20), () -> {
                try {
                    next[0] = ledger.append(AuditEntryTest.request("after"));
                    return true;
                } catch (AuditUnavailableException e) {
                    return false;
                }
            });
            assertThat(next[0]).isEqualTo(5);
        }
    }

    @Test
    void openingWithoutUsableStorageFails() throws Exception {
        var store = TestStores.sqlite();
        store.close(); // pool closed: nothing to write to
        assertThatThrownBy(() -> AuditLedger.open(store.db(), AuditConfig.defaults("bastion.test/audit"),
                new PlaintextSigningKeyStore(store.db()), Clock.systemUTC()))
                .isInstanceOf(AuditUnavailableException.class);
    }

    private static AuditLedger open(TestStores.Handle store) throws AuditUnavailableException {
        AuditConfig config = AuditConfig.defaults("bastion.test/audit").withIntegrate(false)
                .withAppendTimeout(Duration.ofSeconds(2));
        return AuditLedger.open(store.db(), config, new PlaintextSigningKeyStore(store.db()), Clock.systemUTC());
    }

    private static RequestEntry bigEntry(String id) {
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < 60; i++) subjects.add("subject-" + id + "-" + "x".repeat(90) + i);
        return RequestEntry.builder(id, AuditEntryTest.T).principal(AuditEntryTest.ALICE).action("model.invoke")
                .model(ModelRoute.alias("m")).subjects(subjects).build();
    }

    private static List<Throwable> appendConcurrently(AuditLedger ledger, List<AuditEntry> entries) throws Exception {
        List<Throwable> failures = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> fs = new ArrayList<>();
            for (AuditEntry e : entries) fs.add(pool.submit(() -> ledger.append(e)));
            for (Future<Long> f : fs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
        }
        return failures;
    }

    /**
     * Caps every pooled SQLite connection at the current database size (SQLite's disk-full path), or lifts the cap by
     * having the pool replace its connections.
     */
    private static void setMaxPageCount(TestStores.Handle store, boolean cap) throws SQLException {
        if (!cap) {
            store.db().dataSource().unwrap(com.zaxxer.hikari.HikariDataSource.class).getHikariPoolMXBean()
                    .softEvictConnections();
            return;
        }
        List<Connection> all = new ArrayList<>();
        try {
            for (int i = 0; i < store.config().poolSize(); i++) all.add(store.db().connection());
            for (Connection c : all) {
                try (Statement s = c.createStatement()) {
                    long pages;
                    try (ResultSet rs = s.executeQuery("PRAGMA page_count")) {
                        rs.next();
                        pages = rs.getLong(1);
                    }
                    s.execute("PRAGMA max_page_count = " + pages);
                }
            }
        } finally {
            for (Connection c : all) c.close();
        }
    }

    private static String literalBytes(StoreConfig.Kind kind) {
        return kind == StoreConfig.Kind.SQLITE ? "X'00'" : "'\\x00'::bytea";
    }

    private static long rows(TestStores.Handle store) throws SQLException {
        try (Connection c = store.db().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM audit_entries")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long nextIndex(TestStores.Handle store) throws SQLException {
        try (Connection c = store.db().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT next_index FROM audit_sequence")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void terminate(Connection admin, String db) throws SQLException {
        try (Statement s = admin.createStatement()) {
            // only the server's sessions: an autovacuum worker on the database is a superuser process this role may
            // not terminate, and it is not what the test cuts off
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "'"
                    + " AND usename = current_user AND pid <> pg_backend_pid()");
        }
    }
}
