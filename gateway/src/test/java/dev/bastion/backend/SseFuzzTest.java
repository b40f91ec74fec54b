package dev.bastion.backend;

import dev.bastion.testing.Mutations;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Fuzz target: the SSE parser of backend streams. Any bytes give events or an IOException, and end. */
class SseFuzzTest {
    @Property
    void anyStreamEndsWithEventsOrAnIoError(@ForAll("streams") byte[] body) {
        var response = new UpstreamResponse(200, Map.of(), new BodyStreams.UntilClose(new ByteArrayInputStream(body)),
                null, false, null);
        SseEventStream events = new SseEventStream(response);
        int n = 0;
        try {
            for (byte[] e; (e = events.next()) != null; n++) {
                assertThat(e.length).isLessThanOrEqualTo(SseEventStream.MAX_EVENT);
                assertThat(n).as("more events than bytes").isLessThanOrEqualTo(body.length);
            }
        } catch (IOException expected) {
            // a typed failure: the gateway answers 502 for a broken stream
        }
    }

    @Provide
    Arbitrary<byte[]> streams() {
        return Mutations.of(512, List.of(
                b("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"x\":1}\r\n\r\ndata: [DONE]\n\n"),
                b(": comment\nevent: x\nid: 1\nretry: 5\ndata: a\ndata: b\n\ndata:c\n\n"),
                b("data: last without a blank line")));
    }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
