package dev.bastion.cli;

import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestFiles;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first-start configuration and request, copied as they stand (the backend's URL pointed at a stand-in
 * model server, the port at a free one), get an answer: no 403 for a missing max-classification.
 */
class ReadmeQuickStartTest {

    @Test
    void theReadmesConfigurationAndRequestWorkAsCopied() throws Exception {
        String readme = Files.readString(TestFiles.testdata().getParent().resolve("README.md"));
        String firstStart = readme.substring(readme.indexOf("## First start"));
        Matcher yaml = Pattern.compile("(?s)```yaml\n(.*?)```").matcher(firstStart);
        assertThat(yaml.find()).as("a yaml block under First start").isTrue();
        Matcher url = Pattern.compile("url: (http://\\S+)").matcher(yaml.group(1));
        assertThat(url.find()).isTrue();
        Matcher body = Pattern.compile("/v1/chat/completions .*?-d '(\\{[^']*})'", Pattern.DOTALL).matcher(firstStart);
        assertThat(body.find()).as("the README's chat request").isTrue();

        try (StandInUpstream model = new StandInUpstream()) {
            String config = yaml.group(1).replace(url.group(1), model.baseUrl().toString()) + "server:\n  port: 0\n";
            try (TestGateway gw = TestGateway.startYaml(config)) {
                var answer = gw.chat(gw.developerKey(), body.group(1));
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(answer.body()).contains(String.join("", StandInUpstream.PIECES));
            }
        }
    }
}
