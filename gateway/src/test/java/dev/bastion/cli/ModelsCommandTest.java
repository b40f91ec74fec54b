package dev.bastion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.audit.AuditLogReader;
import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.InsecureFileKeyProvider;
import dev.bastion.gguf.SyntheticLlamaModel;
import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.models.ModelImporter;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ModelsCommandTest {
    @TempDir
    Path dir;

    /** The command as Main builds it, over a test store whose barrier opens with a throw-away key file. */
    private CommandLine command(TestStores.Handle h) {
        Path rootKey = dir.resolve("root.key");
        return new CommandLine(new ModelsCommand(h::db, () -> OfflineAdmin.over(h.db(),
                Barrier.start(h.db(), Optional.of(new InsecureFileKeyProvider(rootKey))), "test.bastion/audit",
                PolicyHolder.of(Policy.loadDefault()), Clock.systemUTC())));
    }

    @Test
    void importThenListShowsTheModelWithItsDigest() throws Exception {
        Path file = dir.resolve("tiny.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), file);
        try (var h = TestStores.sqlite()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = command(h);
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));

            int code = cli.execute("import", file.toString(), "--name", "tiny", "--progress", "always");
            assertThat(code).as(err.toString()).isZero();
            String sha = ModelImporter.sha256(file, (d, t) -> { });
            assertThat(out.toString()).contains("imported tiny: llama, Q8_0, context 1024").contains(sha);
            assertThat(err.toString()).contains("\rhashing [").contains("100%");

            out.getBuffer().setLength(0);
            assertThat(cli.execute("list")).isZero();
            assertThat(out.toString()).contains("NAME").contains("tiny").contains(sha.substring(0, 12))
                    .contains("Q8_0");

            err.getBuffer().setLength(0);
            assertThat(cli.execute("import", file.toString(), "--name", "tiny")).isEqualTo(1);
            assertThat(err.toString()).contains("import failed").contains("exists");
            assertThat(cli.execute("import", file.toString())).isEqualTo(2); // --name is required

            // each import attempt is an admin action in the audit log, made by the local operator
            List<JsonNode> imports = new ArrayList<>();
            var reader = AuditLogReader.of(h.db());
            for (long i = 0; reader.entry(i).isPresent(); i++) {
                JsonNode e = new ObjectMapper().readTree(reader.entry(i).get());
                if (e.path("action").asText().equals("model.import")) imports.add(e);
            }
            assertThat(imports).extracting(e -> e.path("outcome").asText())
                    .containsExactly("requested", "succeeded", "requested", "rejected");
            assertThat(imports).allSatisfy(e -> {
                assertThat(e.path("target").asText()).isEqualTo("model:tiny");
                assertThat(e.path("principal").path("id").asText()).startsWith("local:");
                assertThat(e.path("principal").path("auth").asText()).isEqualTo("local");
            });
        }
    }

    @Test
    void smallFilesGetNoProgressBarInAutoMode() throws Exception {
        Path file = dir.resolve("tiny.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), file);
        try (var h = TestStores.sqlite()) {
            StringWriter err = new StringWriter();
            CommandLine cli = command(h);
            cli.setOut(new PrintWriter(new StringWriter()));
            cli.setErr(new PrintWriter(err));
            assertThat(cli.execute("import", file.toString(), "--name", "t2")).isZero();
            assertThat(err.toString()).doesNotContain("hashing");
        }
    }
}
