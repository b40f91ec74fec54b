package dev.bastion.engine;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever arrives on the socket, the parser returns a request, a typed 4xx/5xx problem, or end-of-stream. */
class HttpParserPropertyTest {
    private final HttpParser parser = new HttpParser(4096, 50, 8192);

    @Property(tries = 1000)
    void arbitraryBytesNeverEscapeUntyped(@ForAll @Size(max = 6000) byte[] input) {
        parseTyped(input);
    }

    @Property(tries = 1000)
    void mutatedValidRequestsNeverEscapeUntyped(@ForAll("requests") byte[] input) {
        parseTyped(input);
    }

    @Property(tries = 200)
    void wellFormedRequestsRoundTrip(@ForAll("paths") String path, @ForAll @Size(max = 8192) byte[] body)
            throws Exception {
        byte[] head = ("POST " + path + "?q=1 HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        HttpRequest r = parser.read(new ByteArrayInputStream(all));
        assertThat(r.path()).isEqualTo(path);
        assertThat(r.body()).isEqualTo(body);
        assertThat(r.header("content-type")).isEqualTo("application/json");
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789/-_.").ofMaxLength(100)
                .map(s -> "/" + s);
    }

    @Provide
    Arbitrary<byte[]> requests() {
        String valid = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 17\r\n\r\n{\"messages\":[1]}\n";
        byte[] base = valid.getBytes(StandardCharsets.ISO_8859_1);
        return Arbitraries.integers().between(0, base.length - 1).list().ofMaxSize(6)
                .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size()).map(values -> {
                    byte[] copy = base.clone();
                    for (int i = 0; i < positions.size(); i++) copy[positions.get(i)] = values.get(i);
                    return copy;
                }));
    }

    private void parseTyped(byte[] input) {
        try {
            HttpRequest r = parser.read(new ByteArrayInputStream(input));
            if (r != null) assertThat(r.body().length).isLessThanOrEqualTo(8192);
        } catch (HttpProblem p) {
            assertThat(p.error().status()).isBetween(400, 599);
        } catch (EOFException e) {
            // input ended inside a request: the connection is simply closed
        } catch (IOException e) {
            throw new AssertionError("unexpected I/O failure on an in-memory stream", e);
        }
    }
}
