package dev.bastion.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.testing.Mutations;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target: the walker that finds every string of a request (hole 1). Whatever the body, once every slot is
 * rewritten, a second walk finds nothing but the rewrites: no string that reaches a backend escapes inspection.
 */
class RequestTextsFuzzTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MARK = "\u2713";

    @Property
    void afterRewritingEverySlotNoOtherTextIsLeft(@ForAll("bodies") byte[] raw) throws Exception {
        JsonNode tree;
        try {
            tree = JSON.readTree(raw);
        } catch (Exception e) {
            return; // not JSON: the body reader refuses it before any walk
        }
        if (!(tree instanceof ObjectNode body)) return;
        for (Operation op : Operation.values()) {
            ObjectNode copy = body.deepCopy();
            RequestTexts texts;
            try {
                texts = RequestTexts.of(copy, op);
            } catch (ProblemException e) {
                assertThat(e.problem().status()).isEqualTo(400);
                continue;
            }
            for (RequestTexts.Slot s : texts.slots) s.set(MARK);
            texts.commit();
            ObjectNode again = (ObjectNode) JSON.readTree(JSON.writeValueAsBytes(copy));
            for (RequestTexts.Slot s : RequestTexts.of(again, op).slots) {
                assertThat(s.text).as("text left uninspected in " + copy).startsWith(MARK);
            }
        }
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Mutations.of(256, List.of(
                b("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"name\":\"n\"}],\"user\":\"u\","
                        + "\"metadata\":{\"k\":\"v\"},\"stop\":[\"s\"],\"documents\":[{\"t\":\"d\"}]}"),
                b("{\"model\":\"chat\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":[\\\"x\\\",{\\\"b\\\":\\\"y\\\"}]}\"}}]}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":\"d\",\"parameters\":"
                        + "{\"type\":\"object\",\"properties\":{\"p\":{\"type\":\"string\",\"description\":\"q\"}}}}}]}"),
                b("{\"model\":\"chat\",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\",\"schema\":"
                        + "{\"enum\":[\"a\",\"b\"]}}},\"logit_bias\":{\"50256\":-100,\"x\":1},\"tool_choice\":\"auto\"}"),
                b("{\"model\":\"m\",\"prompt\":[\"p\",\"q\"],\"input\":\"i\",\"suffix\":\"s\"}")));
    }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
