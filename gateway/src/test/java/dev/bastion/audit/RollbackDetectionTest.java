package dev.bastion.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.config.BastionConfig;
import dev.bastion.config.ConfigLoader;
import dev.bastion.server.BastionServer;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestFiles;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hole 4 of issue 13: the last checkpoint the server signed is kept where the database cannot roll it back alone
 * (a file in the data directory). A database cut back to an older state — or a rewritten tree — stops the start
 * with a clear message; the operator's override starts anyway and is itself recorded in the log.
 */
class RollbackDetectionTest {
    static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static String yaml(StandInUpstream upstream, Path data) {
        return """
                server: {port: 0}
                data-dir: %s
                """.formatted(data) + ServerAccess.backendYaml(upstream);
    }

    /** Serves {@code n} requests and waits until the integrator has signed a checkpoint over everything stored. */
    private static void traffic(TestGateway gw, String key, int n) throws Exception {
        for (int i = 0; i < n; i++) assertThat(gw.chat(key, CHAT).statusCode()).isEqualTo(200);
        Await.until(Duration.ofSeconds(20), () -> {
            StoredLedger s = StoredLedger.read(gw.config.store());
            return s.treeSize() == s.nextIndex() && s.treeSize() > 0;
        });
    }

    private static void copyDatabase(Path fromDir, Path toDir) throws Exception {
        Files.createDirectories(toDir);
        try (var files = Files.list(fromDir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("bastion.db")).toList()) {
                Files.copy(f, toDir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void restoreDatabase(Path backup, Path dataDir) throws Exception {
        for (String s : List.of("bastion.db", "bastion.db-wal", "bastion.db-shm")) Files.deleteIfExists(dataDir.resolve(s));
        copyDatabase(backup, dataDir);
    }

    @Test
    void aDatabaseCutBackToAnOlderStateStopsTheStartUnlessTheOperatorAcceptsItOnRecord() throws Exception {
        Path dir = Files.createTempDirectory("bastion-rollback");
        Path data = dir.resolve("data");
        try (var upstream = new StandInUpstream()) {
            String admin;
            String developer;
            try (TestGateway gw = TestGateway.startYaml(yaml(upstream, data))) {
                admin = gw.adminKey;
                developer = gw.developerKey();
                traffic(gw, developer, 3);
            }
            copyDatabase(data, dir.resolve("backup"));
            long sizeBefore;
            try (TestGateway gw = TestGateway.startYaml(yaml(upstream, data))) {
                traffic(gw, developer, 25);
                sizeBefore = StoredLedger.read(gw.config.store()).treeSize();
            }
            assertThat(data.resolve("audit-checkpoint")).exists();
            restoreDatabase(dir.resolve("backup"), data);

            assertThatThrownBy(() -> TestGateway.startYaml(yaml(upstream, data)))
                    .hasMessageContaining("rolled back")
                    .hasMessageContaining("--accept-audit-rollback");

            // the operator means it: start once with the override; the log records that it was cut back
            Path file = dir.resolve("bastion.yaml");
            Files.writeString(file, yaml(upstream, data));
            BastionConfig cfg = ConfigLoader.load(file, Map.of()).withAuditRollbackAccepted();
            try (BastionServer server = BastionServer.start(cfg, Clock.systemUTC(),
                    new PrintStream(new ByteArrayOutputStream(), true))) {
                assertThat(server.port()).isPositive();
            }
            try (TestGateway gw = TestGateway.startYaml(yaml(upstream, data))) {
                List<JsonNode> log = AuditLogEntries.of(gw);
                JsonNode accepted = log.stream().filter(e -> e.path("action").asText().equals("audit.rollback.accept"))
                        .findFirst().orElseThrow();
                // anchored at least what we saw integrated (a last round may run at shutdown), stored: the older tree
                var m = java.util.regex.Pattern.compile("anchored:(\\d+),stored:(\\d+)").matcher(accepted.path("target").asText());
                assertThat(m.matches()).isTrue();
                assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(sizeBefore);
                assertThat(Long.parseLong(m.group(2))).isLessThan(sizeBefore);
                assertThat(gw.chat(gw.createKey(admin, "{\"name\":\"after\"}"), CHAT).statusCode()).isEqualTo(200);
            }
        } finally {
            TestFiles.deleteTree(dir);
        }
    }

    @Test
    void aRewrittenTreeStopsTheStart() throws Exception {
        Path dir = Files.createTempDirectory("bastion-rollback");
        Path data = dir.resolve("data");
        try (var upstream = new StandInUpstream()) {
            try (TestGateway gw = TestGateway.startYaml(yaml(upstream, data))) {
                traffic(gw, gw.developerKey(), 5);
            }
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("bastion.db"));
                 var ps = c.prepareStatement("UPDATE audit_tiles SET hashes = ? WHERE level = 0 AND idx = 0")) {
                byte[] forged = new byte[32 * 3];
                ps.setBytes(1, forged);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            assertThatThrownBy(() -> TestGateway.startYaml(yaml(upstream, data)))
                    .hasMessageContaining("audit log rollback or mismatch");
        } finally {
            TestFiles.deleteTree(dir);
        }
    }
}
