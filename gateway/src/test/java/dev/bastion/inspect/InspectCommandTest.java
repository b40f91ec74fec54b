package dev.bastion.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.cli.InspectCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InspectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<JsonNode> run(String stdin, String... args) throws Exception {
        var out = new ByteArrayOutputStream();
        int code = new CommandLine(new InspectCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out))
                .execute(args);
        assertThat(code).isZero();
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) if (!l.isBlank()) lines.add(JSON.readTree(l));
        return lines;
    }

    @Test
    void writesOneFindingsLinePerInputLineWithOffsetsNotValues() throws Exception {
        var lines = run("{\"id\":\"a\",\"text\":\"mail jane@example.com\"}\n{\"id\":7,\"text\":\"nothing here\"}\n",
                "--no-injection");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).toString()).isEqualTo(
                "{\"id\":\"a\",\"findings\":[{\"type\":\"EMAIL_ADDRESS\",\"start\":5,\"end\":21,\"score\":0.95}]}");
        assertThat(lines.get(1).toString()).isEqualTo("{\"id\":7,\"findings\":[]}");
    }

    @Test
    void malformedLinesGetAnErrorObjectAndTheRestGoesOn() throws Exception {
        var lines = run("not json\n[1,2]\n{\"id\":\"x\"}\n{\"id\":\"y\",\"text\":5}\n{\"id\":\"z\",\"text\":\"ssn 078-05-1121\"}\n");
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0).at("/error/code").asText()).isEqualTo("invalid_json");
        assertThat(lines.get(1).at("/error/code").asText()).isEqualTo("invalid_line");
        assertThat(lines.get(2).at("/error/code").asText()).isEqualTo("missing_text");
        assertThat(lines.get(2).get("id").asText()).isEqualTo("x");
        assertThat(lines.get(3).at("/error/code").asText()).isEqualTo("missing_text");
        assertThat(lines.get(4).get("findings").findValuesAsText("type")).contains("US_SSN");
        assertThat(lines.toString()).doesNotContain("078-05-1121");
    }
}
