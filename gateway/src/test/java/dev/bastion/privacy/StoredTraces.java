package dev.bastion.privacy;

import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestStores;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "grep" of an erasure test: a value must not appear in any file under the data directory and the SQLite
 * store's directory (including WAL and free pages), nor in any column of any table of the store.
 */
final class StoredTraces {
    private StoredTraces() {}

    static void assertAbsent(TestStores.Handle store, Path dataDir, List<String> values) throws Exception {
        List<Path> roots = new ArrayList<>(List.of(dataDir));
        if (store.config().kind() == StoreConfig.Kind.SQLITE) {
            roots.add(Path.of(store.config().url().substring("jdbc:sqlite:".length())).getParent());
        }
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    byte[] bytes = read(f);
                    if (bytes == null) continue;
                    String text = new String(bytes, StandardCharsets.ISO_8859_1);
                    for (String v : values) assertThat(text).as(v + " in " + f).doesNotContain(v);
                }
            }
        }
        try (Connection c = store.db().connection()) {
            for (String table : tables(c)) {
                try (var q = c.prepareStatement("SELECT * FROM " + table); ResultSet rs = q.executeQuery()) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            Object o = rs.getObject(i);
                            String s = o instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(o);
                            for (String v : values) assertThat(s).as(v + " in table " + table).doesNotContain(v);
                        }
                    }
                }
            }
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            return null; // a file removed while walking (a rotated WAL)
        }
    }

    private static List<String> tables(Connection c) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if (schema == null || schema.equals("public")) out.add(rs.getString("TABLE_NAME"));
            }
        }
        assertThat(out).contains("audit_entries", "privacy_consents", "barrier_records");
        return out;
    }
}
