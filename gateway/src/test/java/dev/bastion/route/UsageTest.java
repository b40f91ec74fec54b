package dev.bastion.route;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class UsageTest {
    private static Usage of(String json) { return Usage.of(json.getBytes(StandardCharsets.UTF_8)); }

    @Test
    void readsTheUsageObjectWhereverItSits() {
        assertThat(of("{\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4},\"id\":\"x\"}")).isEqualTo(new Usage(3, 4));
        assertThat(of("{\"id\":\"x\",\"usage\" : {\"completion_tokens\":9,\"prompt_tokens\":1,\"total_tokens\":10}}"))
                .isEqualTo(new Usage(1, 9));
    }

    @Test
    void textThatMentionsUsageInsideContentIsNotMistakenForIt() {
        String content = "{\"choices\":[{\"message\":{\"content\":\"the \\\"usage\\\":{\\\"prompt_tokens\\\":99} trick\"}}],"
                + "\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":5}}";
        assertThat(of(content)).isEqualTo(new Usage(2, 5));
        assertThat(of("{\"choices\":[{\"delta\":{\"content\":\"\\\"usage\\\": {\"}}]}")).isEqualTo(Usage.UNKNOWN);
    }

    @Test
    void missingOrMalformedUsageIsUnknown() {
        assertThat(of("{\"id\":\"x\"}")).isEqualTo(Usage.UNKNOWN);
        assertThat(of("{\"usage\":null}")).isEqualTo(Usage.UNKNOWN);
        assertThat(of("{\"usage\":{\"prompt_tokens\":")).isEqualTo(Usage.UNKNOWN);
        assertThat(of("")).isEqualTo(Usage.UNKNOWN);
    }
}
