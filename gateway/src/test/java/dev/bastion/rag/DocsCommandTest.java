package dev.bastion.rag;

import dev.bastion.cli.Main;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bastion collections …} and {@code bastion docs …} against a running server, in process. */
class DocsCommandTest {
    record Cli(int code, String out, String err) {}

    @Test
    void anOperatorCreatesACollectionAndAddsADirectoryOfDocumentsWithAProgressBar() throws Exception {
        try (var upstream = new StandInUpstream(); var gw = TestGateway.start(upstream)) {
            Path dir = Files.createTempDirectory("docs");
            Files.writeString(dir.resolve("travel.md"), "# Travel\n\nBook trains two weeks ahead of the trip.");
            Files.writeString(dir.resolve("hotels.html"), "<h1>Hotels</h1><p>Hotels must stay under 140 euros a night.</p>");
            Files.write(dir.resolve("visa.pdf"), Pdfs.of("Visa", List.of(List.of("Visas are requested by the travel desk."))));
            Files.writeString(dir.resolve("notes.bin"), "ignored");

            Cli created = cli(gw, gw.adminKey, "collections", "create", "travel", "--classification", "internal",
                    "--role", "developer", "--personal-data", "pseudonymise");
            assertThat(created.code()).as(created.err()).isZero();
            Cli added = cli(gw, gw.adminKey, "docs", "add", "travel", dir.toString(), "--progress", "always");
            assertThat(added.code()).as(added.err()).isZero();
            assertThat(added.err()).contains("ingesting [").contains("100%");
            assertThat(added.out()).contains("3 added, 0 already there, 0 failed").contains("visa.pdf: 1 pages");
            assertThat(cli(gw, gw.adminKey, "docs", "add", "travel", dir.resolve("travel.md").toString(),
                    "--progress", "never").out()).contains("0 added, 1 already there");

            Cli listed = cli(gw, gw.adminKey, "docs", "list", "travel");
            assertThat(listed.out()).contains("travel.md", "hotels.html", "visa.pdf").doesNotContain("140 euros");

            Cli found = cli(gw, gw.developerKey(), "docs", "search", "how much may a hotel cost per night",
                    "--collection", "travel", "--top-k", "1");
            assertThat(found.code()).as(found.err()).isZero();
            assertThat(found.out()).contains("[1] travel/hotels.html", "140 euros");

            String id = listed.out().lines().filter(l -> l.contains("hotels.html")).findFirst().orElseThrow().split("\\s+")[0];
            assertThat(cli(gw, gw.adminKey, "docs", "delete", "travel", id).code()).isZero();
            assertThat(cli(gw, gw.developerKey(), "docs", "search", "hotel cost per night", "--collection", "travel")
                    .out()).doesNotContain("140 euros");
            assertThat(cli(gw, gw.adminKey, "collections", "list").out()).contains("travel", "pseudonymise");
        }
    }

    static Cli cli(TestGateway gw, String key, String... args) throws Exception {
        Path keyFile = Files.createTempFile("key", ".txt");
        Files.writeString(keyFile, key);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", gw.base().toString(), "--key-file", keyFile.toString(),
                "-c", gw.configFile().toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(all.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }
}
