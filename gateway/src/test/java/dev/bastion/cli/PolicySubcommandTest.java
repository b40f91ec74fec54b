package dev.bastion.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bastion policy …} is reachable from the main command, with its CI-friendly exit codes. */
class PolicySubcommandTest {

    @Test
    void bastionPolicyChecksFilesWithExitCodes() throws Exception {
        Path dir = Files.createTempDirectory("bastion-policy-cli");
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "version: 1\nrules:\n  - {id: a, effect: permit, roles: [developer], actions: [model.invoke]}\n");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "version: 1\nrules:\n  - {id: a, effect: permit, roles: [developer], actions: [model.delete]}\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        assertThat(cli.execute("policy", "check", good.toString())).isZero();
        assertThat(out.toString()).contains("OK " + good);
        assertThat(cli.execute("policy", "check", bad.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(bad + ":3:").contains("unknown action 'model.delete'");
        assertThat(cli.execute("policy")).isEqualTo(2);
    }
}
