package dev.bastion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.audit.AuditLogReader;
import dev.bastion.config.ConfigLoader;
import dev.bastion.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The offline CLI writes no key unrecorded and obeys the same policy as the server's API: {@code bastion keys}
 * opens the barrier, acts as the local operator, asks the configured policy for {@code keys.manage}, and appends
 * the admin records (or the refusal) to the audit log.
 */
class OfflineAdminTest {
    @TempDir
    Path dir;

    private Path config(String extra) throws Exception {
        Path file = dir.resolve("bastion-" + extra.hashCode() + ".yaml");
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(file, "data-dir: " + dir.resolve("data") + "\n" + extra);
        return file;
    }

    private int cli(Path config, StringWriter out, StringWriter err, String... args) {
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config=" + config;
        return Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
    }

    private List<JsonNode> log(Path config) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Database db = Database.open(ConfigLoader.load(config, Map.of()).store())) {
            var reader = AuditLogReader.of(db);
            for (long i = 0; reader.entry(i).isPresent(); i++) out.add(new ObjectMapper().readTree(reader.entry(i).get()));
        }
        return out;
    }

    @Test
    void keysMadeOfflineAreDecidedByPolicyAndRecordedBeforeAndAfter() throws Exception {
        Path cfg = config("");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(cli(cfg, out, err, "keys", "create", "--name", "ops", "--role", "admin")).as(err.toString()).isZero();
        String id = out.toString().lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().substring(3).trim();
        assertThat(cli(cfg, new StringWriter(), err, "keys", "revoke", id)).as(err.toString()).isZero();

        List<JsonNode> admin = log(cfg).stream().filter(e -> e.path("kind").asText().equals("bastion.audit.admin/v1"))
                .toList();
        assertThat(admin).extracting(e -> e.path("action").asText() + " " + e.path("outcome").asText())
                .containsExactly("key.create requested", "key.create succeeded", "key.revoke requested",
                        "key.revoke succeeded");
        assertThat(admin.get(1).path("target").asText()).isEqualTo("key:" + id);
        assertThat(admin).allSatisfy(e -> {
            assertThat(e.path("principal").path("id").asText()).startsWith("local:");
            assertThat(e.path("principal").path("roles").toString()).isEqualTo("[\"operator\"]");
            assertThat(e.path("principal").path("auth").asText()).isEqualTo("local");
        });
    }

    @Test
    void aPolicyThatDoesNotLetTheOperatorManageKeysStopsTheCliAndTheRefusalIsRecorded() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                rules:
                  - {id: admins-only, effect: permit, roles: [admin], actions: [keys.manage]}
                """);
        Path cfg = config("policy: {file: " + policy + "}\n");
        StringWriter err = new StringWriter();
        assertThat(cli(cfg, new StringWriter(), err, "keys", "create", "--name", "sneaky", "--role", "admin"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("permission_denied");
        StringWriter listed = new StringWriter();
        assertThat(cli(cfg, listed, new StringWriter(), "keys", "list")).as("listing is refused too").isEqualTo(1);

        List<JsonNode> log = log(cfg);
        assertThat(log).noneMatch(e -> e.path("kind").asText().equals("bastion.audit.admin/v1"));
        List<JsonNode> refused = log.stream().filter(e -> e.path("kind").asText().equals("bastion.audit.refused/v1"))
                .toList();
        assertThat(refused).hasSize(2).allSatisfy(e -> {
            assertThat(e.path("action").asText()).isEqualTo("keys.manage");
            assertThat(e.path("status").asInt()).isEqualTo(403);
            assertThat(e.path("principal").path("id").asText()).startsWith("local:");
            assertThat(e.path("decision").path("effect").asText()).as("the decision as the server records it")
                    .isEqualTo("deny");
        });
        // nothing was created: with the default policy the key list is empty
        StringWriter all = new StringWriter();
        assertThat(cli(config(""), all, new StringWriter(), "keys", "list")).isZero();
        assertThat(all.toString()).doesNotContain("sneaky");
    }
}
