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
}
