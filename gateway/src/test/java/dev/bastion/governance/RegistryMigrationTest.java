package dev.bastion.governance;

import dev.bastion.store.Database;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestFiles;
import dev.bastion.testing.TestStores;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registry succeeds the V500 {@code models} table: a model imported before governance becomes a draft local
 * entry with the same digest and metadata (so it does not route until approved), and the old table is gone — one
 * source of truth. On SQLite and PostgreSQL.
 */
class RegistryMigrationTest {

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void importedModelsBecomeDraftRegistryEntries(StoreConfig.Kind kind) throws Exception {
        Path dir = Files.createTempDirectory("bastion-migrate");
        try (var empty = kind == StoreConfig.Kind.POSTGRES ? TestStores.emptyPostgres()
                : new TestStores.Empty(StoreConfig.sqlite(dir.resolve("b.db")), () -> { })) {
            StoreConfig cfg = empty.config();
            Map<String, String> placeholders = Database.placeholders(kind);
            Flyway.configure().dataSource(cfg.url(), cfg.user(), cfg.password() == null ? null : cfg.password().value())
                    .locations("classpath:db/migration").placeholders(placeholders).target("500").load().migrate();
            try (Connection c = connect(cfg)) {
                c.createStatement().executeUpdate("INSERT INTO models (name, sha256, size_bytes, path, architecture, "
                        + "quantization, context_length, chat_template, tokenizer, imported_at, imported_by) VALUES "
                        + "('tiny', '" + "ab".repeat(32) + "', 1234, '/models/tiny.gguf', 'llama', 'Q8_0', 1024, NULL, "
                        + "'gpt2', 1700000000000, 'cli:ops')");
            }
            try (Database db = Database.open(cfg)) {
                var entries = new EntryStore(db).list();
                assertThat(entries).hasSize(1);
                RegistryEntry e = entries.getFirst();
                assertThat(e.id()).isEqualTo("m-import-tiny");
                assertThat(e.state()).isEqualTo(LifecycleState.DRAFT);
                assertThat(e.artifact().sha256()).isEqualTo("ab".repeat(32));
                assertThat(e.artifact().contextLength()).isEqualTo(1024L);
                assertThat(e.artifact().path()).isEqualTo(Path.of("/models/tiny.gguf"));
                assertThat(e.submittedBy()).isEqualTo("cli:ops");
                try (var feed = dev.bastion.store.ChangeFeed.start(db, dev.bastion.store.ChangeFeed.Settings.defaults())) {
                    assertThat(new RoutingGate(db, feed).check("sha256:" + "ab".repeat(32)).approval()).isEqualTo("draft");
                }
                try (Connection c = db.connection()) {
                    assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT * FROM models").close())
                            .isInstanceOf(java.sql.SQLException.class);
                }
            }
        } finally {
            TestFiles.deleteTree(dir);
        }
    }

    private static Connection connect(StoreConfig cfg) throws Exception {
        return cfg.kind() == StoreConfig.Kind.SQLITE ? DriverManager.getConnection(cfg.url())
                : DriverManager.getConnection(cfg.url(), cfg.user(), cfg.password().value());
    }
}
