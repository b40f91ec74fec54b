package dev.bastion.cli;

import dev.bastion.config.ConfigLoader;
import dev.bastion.testing.StandInOllama;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bastion init}: from nothing to a configuration, a key and a request that works as printed. */
class InitCommandTest {

    private record Run(int code, String out, String err) {}

    private static Run init(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "init";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Run(cli.execute(all), out.toString(), err.toString());
    }

    @Test
    void theConfigurationItWritesServesTheFoundModelToTheKeyItPrints() throws Exception {
        Path dir = Files.createTempDirectory("bastion-init");
        Path file = dir.resolve("bastion.yaml");
        try (StandInUpstream model = new StandInUpstream()) {
            Run run = init("--config", file.toString(), "--data-dir", dir.resolve("data").toString(),
                    "--scan-port", String.valueOf(model.baseUrl().getPort()));
            assertThat(run.code()).as(run.err()).isZero();
            String yaml = Files.readString(file);
            assertThat(yaml).contains("url: http://127.0.0.1:" + model.baseUrl().getPort() + "/v1")
                    .contains("max-classification: internal").contains("alias: chat").contains("model: stand-in");
            Matcher key = Pattern.compile("BASTION_APP_KEY=(bst_\\S+)").matcher(run.out());
            assertThat(key.find()).as(run.out()).isTrue();
            Matcher port = Pattern.compile("(?m)^  port: (\\d+)$").matcher(yaml);
            assertThat(port.find()).isTrue();
            assertThat(run.out()).contains("curl -s http://127.0.0.1:" + port.group(1) + "/v1/chat/completions")
                    .contains("\"model\":\"chat\"").contains("from openai import OpenAI")
                    .contains("import OpenAI from \"openai\"").contains("base_url=\"http://127.0.0.1:" + port.group(1) + "/v1\"");

            // the file as written (on a free port instead of the printed one) answers the printed request with the key
            try (TestGateway gw = TestGateway.startYaml(port.replaceFirst("  port: 0"))) {
                var answer = gw.chat(key.group(1), "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(answer.body()).contains(String.join("", StandInUpstream.PIECES));
            }
        }
    }

    @Test
    void anExistingFileIsKeptUnlessForced() throws Exception {
        Path dir = Files.createTempDirectory("bastion-init");
        Path file = dir.resolve("bastion.yaml");
        Files.writeString(file, "server: {port: 9999}\n");
        int closed = closedPort();
        Run refused = init("--config", file.toString(), "--data-dir", dir.resolve("data").toString(),
                "--scan-port", String.valueOf(closed));
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("--force");
        assertThat(Files.readString(file)).isEqualTo("server: {port: 9999}\n");
        assertThat(dir.resolve("data")).doesNotExist();

        Run forced = init("--config", file.toString(), "--data-dir", dir.resolve("data").toString(),
                "--scan-port", String.valueOf(closed), "--force");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("no model server found").contains("BASTION_APP_KEY=bst_");
        assertThat(ConfigLoader.load(file, Map.of()).backends()).isEmpty(); // valid, and declares nothing it did not find
    }

    @Test
    void ollamaIsFoundByItsNativeApiAndOpenAiServersByTheirModelList() throws Exception {
        try (StandInUpstream openai = new StandInUpstream(); StandInOllama ollama = new StandInOllama()) {
            int closed = closedPort();
            var found = LocalModelServers.detect(java.util.List.of(openai.baseUrl().getPort(),
                    ollama.baseUrl().getPort(), closed), java.time.Duration.ofMillis(500));
            assertThat(found).containsExactlyInAnyOrder(
                    new LocalModelServers.Found(openai.baseUrl().getPort(), LocalModelServers.Type.openai,
                            java.util.List.of("stand-in")),
                    new LocalModelServers.Found(ollama.baseUrl().getPort(), LocalModelServers.Type.ollama,
                            java.util.List.of()));
        }
    }

    /** A loopback port nothing listens on (bound, then released). */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
