package dev.bastion.privacy;

import dev.bastion.cli.Main;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestFiles;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.bastion.privacy.PrivacyGateways.chat;
import static dev.bastion.privacy.PrivacyGateways.code;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line drives the same API: consents (grant, import, list, withdraw), the access export and its offline
 * check (which fails on a changed file), audit search with every result verified locally, the compliance records
 * and retention, and erasure.
 */
class PrivacyCliTest {
    private record Run(int code, String out, String err) {}

    @Test
    void privacyOperationsFromTheCommandLine() throws Exception {
        Path dir = Files.createTempDirectory("bastion-cli");
        try (var upstream = new StandInUpstream(); TestGateway gw = TestGateway.start(upstream)) {
            Path officer = key(dir, "officer", PrivacyGateways.officerKey(gw));
            Path auditor = key(dir, "auditor", gw.auditorKey());
            Path admin = key(dir, "admin", gw.adminKey);
            String base = gw.base().toString();
            String vkey = gw.auditVerifierKey();

            Run grant = run(base, officer, "consents", "grant", "--subject", "c-5", "--purpose", "support",
                    "--evidence", "receipt-5");
            assertThat(grant.code()).as(grant.err()).isZero();
            assertThat(grant.out()).contains("\"confirmed\":true").doesNotContain("c-5");
            Path csv = dir.resolve("consents.csv");
            Files.writeString(csv, "subject,purpose,basis\nc-6,support,contract\nc-7,analytics,consent\n");
            assertThat(run(base, officer, "consents", "import", csv.toString()).out()).contains("\"records\":2");
            assertThat(run(base, officer, "consents", "list", "--purpose", "support").out())
                    .contains("contract").doesNotContain("c-6");
            assertThat(chat(gw, gw.developerKey(), "support", "c-5", "Hello").statusCode()).isEqualTo(200);

            Path bundle = dir.resolve("export.json");
            Run exported = run(base, officer, "subjects", "export", "c-5", "--out", bundle.toString());
            assertThat(exported.code()).as(exported.err()).isZero();
            Run verified = run(null, null, "subjects", "verify", bundle.toString(), "--key", vkey);
            assertThat(verified.code()).as(verified.err()).isZero();
            assertThat(verified.out()).startsWith("verified: ");
            Files.writeString(bundle, Files.readString(bundle).replace("receipt-5", "receipt-6"));
            assertThat(run(null, null, "subjects", "verify", bundle.toString(), "--key", vkey).code()).isEqualTo(1);

            Run search = run(base, auditor, "audit", "search", "--subject-id", "c-5", "--purpose",
                    "incident-investigation", "--key", vkey);
            assertThat(search.code()).as(search.err() + search.out()).isZero();
            assertThat(search.out()).contains("model.invoke").containsPattern("verified: [1-9]\\d* proven");
            assertThat(run(base, auditor, "audit", "search", "--kind", "admin", "--key", vkey).out())
                    .contains("consent.change");

            assertThat(run(base, admin, "compliance", "gdpr-art30").out()).contains("30(1)(a)");
            assertThat(run(base, admin, "compliance", "hipaa").out()).contains("164.312(b)");
            assertThat(run(base, admin, "retention", "show").out()).contains("\"rules\"");

            assertThat(run(base, officer, "consents", "withdraw", "--subject", "c-5", "--purpose", "support").code()).isZero();
            assertThat(code(chat(gw, gw.developerKey(), "support", "c-5", "Hello"))).isEqualTo("consent_missing");
            Run erased = run(base, officer, "subjects", "erase", "c-5");
            assertThat(erased.code()).as(erased.err()).isZero();
            assertThat(erased.out()).contains("\"outcome\":\"erased\"");
            assertThat(run(base, officer, "subjects", "requests").out()).contains("erasure", "access");
        } finally {
            TestFiles.deleteTree(dir);
        }
    }

    private static Path key(Path dir, String name, String key) throws Exception {
        Path f = dir.resolve(name + ".key");
        Files.writeString(f, key + "\n");
        return f;
    }

    private static Run run(String base, Path keyFile, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (base != null) all.addAll(List.of("--url", base, "--key-file", keyFile.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }
}
