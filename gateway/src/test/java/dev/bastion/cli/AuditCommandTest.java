package dev.bastion.cli;

import dev.bastion.audit.AuditConfig;
import dev.bastion.audit.AuditLedger;
import dev.bastion.testing.PlaintextSigningKeyStore;
import dev.bastion.testing.TestFiles;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI's exit codes are what CI scripts branch on. */
class AuditCommandTest {
    static final String TESSERA_KEY = "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx";
    static final Path TESSERA = TestFiles.testdata().resolve("tlog/tessera-testdata-log");

    record Run(int exit, String out, String err) {}

    static Run run(AuditCommand command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void verifyExitsZeroForAnIntactLogAndOneWhenTamperedOrRolledBack() throws Exception {
        Run ok = run(new AuditCommand(), "verify", TESSERA.toString(), "--key", TESSERA_KEY);
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).contains("verified: example.com/log/testdata size 15");

        Path copy = Files.createTempDirectory("bastion-cli");
        try {
            for (String f : new String[] {"checkpoint.10", "tile/0/000.p/10", "tile/entries/000.p/10"}) {
                Files.createDirectories(copy.resolve(f).getParent());
                Files.copy(TESSERA.resolve(f), copy.resolve(f.equals("checkpoint.10") ? "checkpoint" : f));
            }
            assertThat(run(new AuditCommand(), "verify", copy.toString(), "--key", TESSERA_KEY).exit()).isZero();
            Run rollback = run(new AuditCommand(), "verify", copy.toString(), "--key", TESSERA_KEY,
                    "--trusted", TESSERA.resolve("checkpoint.15").toString());
            assertThat(rollback.exit()).isEqualTo(AuditCommand.FAILED);
            assertThat(rollback.out()).contains("ROLLBACK at index 10");

            Path bundle = copy.resolve("tile/entries/000.p/10");
            byte[] b = Files.readAllBytes(bundle);
            b[b.length - 1] ^= 1; // last byte of entry 9 ("ten")
            Files.write(bundle, b);
            Run tampered = run(new AuditCommand(), "verify", copy.toString(), "--key", TESSERA_KEY);
            assertThat(tampered.exit()).isEqualTo(AuditCommand.FAILED);
            assertThat(tampered.out()).contains("ENTRY_MISMATCH at index 9");
        } finally {
            TestFiles.deleteTree(copy);
        }
    }

    @Test
    void verifyRequiresTheQuorumOfWitnessCosignaturesItIsGiven() throws Exception {
        Path copy = Files.createTempDirectory("bastion-cli");
        try {
            copyTree(TESSERA, copy);
            String text = dev.bastion.audit.tlog.Note.parse(Files.readAllBytes(copy.resolve("checkpoint"))).text();
            var w1 = new dev.bastion.audit.tlog.Cosignature.Signer("w1.test/witness", dev.bastion.audit.tlog.NoteSigner.newSeed());
            var w2 = new dev.bastion.audit.tlog.Cosignature.Signer("w2.test/witness", dev.bastion.audit.tlog.NoteSigner.newSeed());
            var w3 = new dev.bastion.audit.tlog.Cosignature.Signer("w3.test/witness", dev.bastion.audit.tlog.NoteSigner.newSeed());
            StringBuilder lines = new StringBuilder();
            for (var w : java.util.List.of(w1, w2)) {
                var sig = w.sign(text, 1_700_000_000L);
                byte[] raw = java.nio.ByteBuffer.allocate(4 + sig.signature().length).putInt(sig.keyId())
                        .put(sig.signature()).array();
                lines.append("\u2014 ").append(sig.name()).append(' ')
                        .append(java.util.Base64.getEncoder().encodeToString(raw)).append('\n');
            }
            Files.writeString(copy.resolve("checkpoint"), lines, java.nio.file.StandardOpenOption.APPEND);
            String k1 = w1.verifier().encoded();
            String k2 = w2.verifier().encoded();
            String k3 = w3.verifier().encoded();
            assertThat(run(new AuditCommand(), "verify", copy.toString(), "--key", TESSERA_KEY,
                    "--witness", k1, "--witness", k2).exit()).isZero();
            assertThat(run(new AuditCommand(), "verify", copy.toString(), "--key", TESSERA_KEY,
                    "--witness", k1, "--witness", k3, "--quorum", "1").exit()).isZero();
            Run short1 = run(new AuditCommand(), "verify", copy.toString(), "--key", TESSERA_KEY,
                    "--witness", k1, "--witness", k3, "--quorum", "2");
            assertThat(short1.exit()).isEqualTo(AuditCommand.FAILED);
            assertThat(short1.out()).contains("NOT_WITNESSED");
            assertThat(run(new AuditCommand(), "verify", copy.toString(), "--key", TESSERA_KEY,
                    "--witness", TESSERA_KEY).exit()).as("a log key is not a witness key").isEqualTo(AuditCommand.USAGE);
            assertThat(run(new AuditCommand(), "verify", copy.toString(), "--key", TESSERA_KEY,
                    "--witness", k1, "--quorum", "2").exit()).isEqualTo(AuditCommand.USAGE);
        } finally {
            TestFiles.deleteTree(copy);
        }
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    @Test
    void usageAndUnreadableLogsHaveTheirOwnExitCodes() {
        assertThat(run(new AuditCommand(), "verify", TESSERA.toString(), "--key", "not-a-key").exit())
                .isEqualTo(AuditCommand.USAGE);
        assertThat(run(new AuditCommand(), "verify", TESSERA.toString()).exit()).isEqualTo(AuditCommand.USAGE);
        assertThat(run(new AuditCommand(), "verify", "/nonexistent/log", "--key", TESSERA_KEY).exit())
                .isEqualTo(AuditCommand.UNREADABLE);
        assertThat(run(new AuditCommand(), "verify", "http://127.0.0.1:1/log/", "--key", TESSERA_KEY).exit())
                .isEqualTo(AuditCommand.UNREADABLE);
        assertThat(run(new AuditCommand(), "export", "/tmp/x").exit()).isEqualTo(AuditCommand.USAGE);
        assertThat(run(new AuditCommand(), "export", "/tmp/x", "--sqlite", "/nonexistent/bastion.db").exit())
                .isEqualTo(AuditCommand.UNREADABLE);
    }

    @Test
    void exportThenVerifyRoundTripsAStore() throws Exception {
        Path dir = Files.createTempDirectory("bastion-cli-export");
        try (var store = TestStores.sqlite()) {
            String key;
            try (var ledger = AuditLedger.open(store.db(), AuditConfig.defaults("bastion.test/audit").withIntegrate(false),
                    new PlaintextSigningKeyStore(store.db()), Clock.systemUTC())) {
                for (int i = 0; i < 19; i++) ledger.appendAsync(dev.bastion.audit.AuditEntries.sample("r" + i));
                ledger.append(dev.bastion.audit.AuditEntries.sample("r19"));
                ledger.integrateNow();
                key = ledger.verifierKey();
            }
            String file = store.config().url().substring("jdbc:sqlite:".length());
            Run export = run(new AuditCommand(), "export", dir.toString(), "--sqlite", file);
            assertThat(export.exit()).as(export.err()).isZero();
            assertThat(export.out()).contains("exported 20 entries of bastion.test/audit");
            Run verify = run(new AuditCommand(), "verify", dir.toString(), "--key", key);
            assertThat(verify.exit()).as(verify.out()).isZero();
            // the server can hand the command its own store instead of command-line options
            Run wired = run(new AuditCommand(options -> store.db()), "export", dir.resolve("again").toString());
            assertThat(wired.exit()).isZero();
        } finally {
            TestFiles.deleteTree(dir);
        }
    }
}
