package dev.bastion.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.config.BastionConfig;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.testing.Mutations;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Fuzz target: the JSON body reader and the OpenAI field checks. Any bytes are a request or a typed 4xx. */
class JsonBodyFuzzTest {
    static final JsonBodies JSON = new JsonBodies(64, 1 << 20, Duration.ofSeconds(5));
    static final OpenAiRequestValidator VALIDATOR = new OpenAiRequestValidator(new BastionConfig.Limits(4096, 64, 2048, 64));

    @Property
    void anyBodyIsParsedAndCheckedOrRefusedWithA4xx(@ForAll("bodies") byte[] body) {
        ObjectNode parsed;
        try {
            parsed = JSON.parseObject(body);
        } catch (ProblemException e) {
            assertThat(e.problem().status()).isBetween(400, 499);
            return;
        }
        for (Operation op : Operation.values()) {
            try {
                assertThat(VALIDATOR.validate(op, parsed.deepCopy())).isNotEmpty();
            } catch (ProblemException e) {
                assertThat(e.problem().status()).isBetween(400, 499);
            }
        }
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Mutations.of(512, List.of(
                bytes("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5}"),
                bytes("{\"model\":\"chat\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":"
                        + "\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"}]}],\"tools\":[{\"type\":\"function\"}],\"stop\":[\"x\"]}"),
                bytes("{\"model\":\"chat\",\"prompt\":[[1,2],[3]],\"n\":2,\"seed\":1,\"temperature\":0.5}"),
                bytes("{\"model\":\"e\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"base64\",\"dimensions\":8}")));
    }

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
