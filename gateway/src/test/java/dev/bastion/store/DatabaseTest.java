package dev.bastion.store;

import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseTest {

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void migratesTheSameSchemaOnBothEngines(StoreConfig.Kind kind) throws Exception {
        try (var store = TestStores.open(kind); var c = store.db().connection();
             var rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            var tables = new java.util.TreeSet<String>();
            while (rs.next()) tables.add(rs.getString("TABLE_NAME").toLowerCase());
            assertThat(tables).contains("api_keys", "server_state");
            assertThat(store.db().ping()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void storesAndReadsBackBinaryValues(StoreConfig.Kind kind) throws Exception {
        byte[] value = {0, 1, (byte) 0xff, 42};
        try (var store = TestStores.open(kind); var c = store.db().connection()) {
            try (var ps = c.prepareStatement("INSERT INTO server_state(name, value) VALUES (?, ?)")) {
                ps.setString(1, "k");
                ps.setBytes(2, value);
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("SELECT value FROM server_state WHERE name = ?")) {
                ps.setString(1, "k");
                try (var rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBytes(1)).containsExactly(value);
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aReadThenWriteTransactionIsNotRefusedBecauseAnotherConnectionWrote() throws Exception {
        try (var store = TestStores.sqlite(); var first = store.db().connection(); var second = store.db().connection()) {
            first.setAutoCommit(false);
            try (var rs = first.createStatement().executeQuery("SELECT count(*) FROM server_state")) {
                rs.next();
            }
            // another writer arrives while the first transaction is open: it waits instead of invalidating it
            var other = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (var ps = second.prepareStatement("INSERT INTO server_state(name, value) VALUES ('b', x'01')")) {
                    ps.executeUpdate();
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (var ps = first.prepareStatement("INSERT INTO server_state(name, value) VALUES ('a', x'01')")) {
                ps.executeUpdate();
            }
            first.commit();
            other.get(10, java.util.concurrent.TimeUnit.SECONDS);
            try (var rs = second.createStatement().executeQuery("SELECT count(*) FROM server_state")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }
}
