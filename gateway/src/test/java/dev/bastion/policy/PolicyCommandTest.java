package dev.bastion.policy;

import dev.bastion.cli.PolicyCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cmd = new CommandLine(new PolicyCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void checkAcceptsAValidPolicy() throws Exception {
        var r = run("check", DefaultPolicyTest.shipped("default.yaml").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("OK ").contains("rules", "sha256:");
    }

    @Test
    void checkRejectsAnInvalidPolicyWithFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "version: 1\nrules:\n  - {id: a, effect: permit, roles: [x], actions: [model.delete]}\n");
        var r = run("check", bad.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(bad + ":3:").contains("unknown action 'model.delete'").contains("INVALID");
    }

    @Test
    void checkOfAMissingFileFails() {
        assertThat(run("check", dir.resolve("none.yaml").toString()).exit()).isEqualTo(1);
    }

    @Test
    void testPassesTheShippedCases() throws Exception {
        var r = run("test", DefaultPolicyTest.shipped("default-cases.yaml").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("0 failed");
    }

    @Test
    void testFailsWhenACaseFailsAndSaysWhere() throws Exception {
        Path cases = dir.resolve("cases.yaml");
        Files.writeString(cases, """
                version: 1
                cases:
                  - name: ok
                    principal: {roles: [developer]}
                    action: model.list
                    resource: "model:*"
                    expect: {decision: allow}
                  - name: wrong
                    principal: {roles: [developer]}
                    action: keys.manage
                    resource: "keys:*"
                    expect: {decision: allow}
                """);
        Path policy = dir.resolve("p.yaml");
        Files.writeString(policy, "version: 1\nrules: [{id: dev, effect: permit, roles: [developer], actions: [model.list]}]\n");
        var r = run("test", cases.toString(), "--policy", policy.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL " + cases + ":8 wrong: expected allow, got deny").contains("1 passed, 1 failed");
    }

    @Test
    void testRejectsAnInvalidCasesFile() throws Exception {
        Path cases = dir.resolve("cases.yaml");
        Files.writeString(cases, "version: 1\ncases:\n  - {name: x, principal: {roles: [a]}, action: model.fly, resource: 'model:x', expect: {decision: allow}}\n");
        var r = run("test", cases.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(":3:").contains("unknown action");
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertThat(run().exit()).isEqualTo(2);
        assertThat(run("check").exit()).isEqualTo(2);
    }
}
