package dev.bastion.cli;

import dev.bastion.gguf.SyntheticLlamaModel;
import dev.bastion.models.ModelImporter;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ModelsCommandTest {
    @TempDir
    Path dir;

    @Test
    void importThenListShowsTheModelWithItsDigest() throws Exception {
        Path file = dir.resolve("tiny.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), file);
        try (var h = TestStores.sqlite()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new ModelsCommand(h::db));
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
        }
    }

    @Test
    void smallFilesGetNoProgressBarInAutoMode() throws Exception {
        Path file = dir.resolve("tiny.gguf");
        SyntheticLlamaModel.write(SyntheticLlamaModel.Spec.tiny(), file);
        try (var h = TestStores.sqlite()) {
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new ModelsCommand(h::db));
            cli.setOut(new PrintWriter(new StringWriter()));
            cli.setErr(new PrintWriter(err));
            assertThat(cli.execute("import", file.toString(), "--name", "t2")).isZero();
            assertThat(err.toString()).doesNotContain("hashing");
        }
    }
}
