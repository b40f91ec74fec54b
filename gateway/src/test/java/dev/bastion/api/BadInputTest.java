package dev.bastion.api;

import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed, oversized and hostile requests each get a 4xx with a stable code — never a 500 or a hang — and none of
 * them reaches the backend or disturbs the requests that follow.
 */
class BadInputTest {
    static StandInUpstream upstream;
    static TestGateway gateway;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    @BeforeContainer
    static void start() throws Exception {
        if (gateway != null) return;
        upstream = new StandInUpstream();
        gateway = TestGateway.start(upstream);
    }

    @AfterAll
    @AfterContainer
    static void stop() {
        if (gateway == null) return;
        gateway.close();
        upstream.close();
        gateway = null;
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return gateway.chat(gateway.developerKey(), body);
    }

    private static void assertRefused(HttpResponse<String> r, int status, String code) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(TestGateway.errorCode(r)).isEqualTo(code);
        assertThat(r.headers().firstValue("X-Bastion-Request-Id")).isPresent();
        var error = TestGateway.json(r.body()).path("error");
        assertThat(error.has("message") && error.has("type") && error.has("param")).isTrue();
    }

    @Test
    void malformedJsonIsRefused() throws Exception {
        assertRefused(post("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\""), 400, "invalid_json");
        assertRefused(post("[1,2,3]"), 400, "invalid_json");
        assertRefused(post(""), 400, "invalid_json");
        assertRefused(post("{\"model\":\"chat\"} trailing"), 400, "invalid_json");
    }

    @Test
    void repeatedFieldsAreRefusedSoBastionAndTheBackendCannotReadDifferentMessages() throws Exception {
        assertRefused(post("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"b\"}]}"), 400, "invalid_json");
    }

    @Test
    void deeplyNestedJsonIsRefused() throws Exception {
        String deep = "[".repeat(500) + "]".repeat(500);
        assertRefused(post("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"x\":" + deep + "}"),
                400, "json_too_deep");
    }

    @Test
    void wrongTypesOfKnownFieldsNameTheField() throws Exception {
        String msgs = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        record Case(String body, String param) {}
        for (Case c : new Case[] {
                new Case("{\"model\":5," + msgs + "}", "model"),
                new Case("{\"model\":\"chat\",\"messages\":\"hi\"}", "messages"),
                new Case("{\"model\":\"chat\"," + msgs + ",\"stream\":\"yes\"}", "stream"),
                new Case("{\"model\":\"chat\"," + msgs + ",\"max_tokens\":\"10\"}", "max_tokens"),
                new Case("{\"model\":\"chat\"," + msgs + ",\"temperature\":\"hot\"}", "temperature"),
                new Case("{\"model\":\"chat\"," + msgs + ",\"n\":0}", "n"),
                new Case("{\"model\":\"chat\"," + msgs + ",\"stop\":[1]}", "stop"),
                new Case("{\"model\":\"chat\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", "messages[0].role"),
                new Case("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":7}]}", "messages[0].content"),
                new Case("{\"model\":\"chat\"," + msgs + ",\"tools\":{}}", "tools"),
        }) {
            HttpResponse<String> r = post(c.body());
            assertRefused(r, 400, "invalid_field");
            assertThat(TestGateway.json(r.body()).path("error").path("param").asText()).isEqualTo(c.param());
        }
        assertRefused(post("{\"model\":\"chat\"}"), 400, "missing_field");
    }

    @Test
    void hugeMaxTokensAndUnknownModelsAreRefused() throws Exception {
        String msgs = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        assertRefused(post("{\"model\":\"chat\"," + msgs + ",\"max_tokens\":99999999999999}"), 400, "max_tokens_too_large");
        assertRefused(post("{\"model\":\"chat\"," + msgs + ",\"max_tokens\":1e400}"), 400, "invalid_field");
        assertRefused(post("{\"model\":\"gpt-4-no-such\"," + msgs + "}"), 404, "model_not_found");
        assertRefused(post("{\"model\":\"CHAT\"," + msgs + "}"), 404, "model_not_found");
        assertRefused(post("{\"model\":\"chat\u200b\"," + msgs + "}"), 404, "model_not_found");
    }

    @Test
    void oversizedBodiesAreRefusedWithDeclaredOrChunkedLength() throws Exception {
        String big = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(400_000) + "\"}]}";
        // declared too large: refused from the headers alone, before any body byte is read
        String declared = rawExchange("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + gateway.developerKey() + "\r\nContent-Type: application/json\r\nContent-Length: " + big.length() + "\r\n\r\n");
        assertThat(declared).startsWith("HTTP/1.1 413").contains("body_too_large");
        // no Content-Length: the streaming limit applies
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(gateway.base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + gateway.developerKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() ->
                        new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build();
        HttpResponse<String> r = HTTP.send(chunked, HttpResponse.BodyHandlers.ofString());
        assertRefused(r, 413, "body_too_large");
    }

    @Test
    void repeatedOrMalformedContextHeadersAreRefused() throws Exception {
        String body = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpRequest twice = HttpRequest.newBuilder(URI.create(gateway.base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + gateway.developerKey())
                .header("X-Bastion-Purpose", "treatment").header("X-Bastion-Purpose", "marketing")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        assertRefused(HTTP.send(twice, HttpResponse.BodyHandlers.ofString()), 400, "invalid_header");
        String raw = rawExchange("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + gateway.developerKey()
                + "\r\nX-Bastion-Classification: top secret\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body);
        assertThat(raw).startsWith("HTTP/1.1 400").contains("invalid_header");
    }

    @Test
    void unknownRoutesAndMethodsGetJsonErrors() throws Exception {
        assertRefused(gateway.send("GET", "/v1/nothing-here", gateway.developerKey(), null), 404, "not_found");
        assertRefused(gateway.send("GET", "/v1/chat/completions", gateway.developerKey(), null), 405, "method_not_allowed");
        // dot segments are not one canonical spelling: refused before any route is looked up
        assertRefused(gateway.send("GET", "/v1/../bastion/v1/keys/../../etc/passwd", null, null), 400, "invalid_request_target");
    }

    @Test
    void aClientThatStopsSendingItsBodyIsCutOffNotWaitedForForever() throws Exception {
        long start = System.nanoTime();
        String answer = rawExchange("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + gateway.developerKey() + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\":");
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertThat(seconds).isLessThan(10);
        assertThat(answer).satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 4"));
    }

    @Test
    void aClientThatNeverFinishesItsHeadersIsCutOff() throws Exception {
        long start = System.nanoTime();
        String answer = rawExchange("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        assertThat(Duration.ofNanos(System.nanoTime() - start).toSeconds()).isLessThan(10);
        assertThat(answer).satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 4"));
    }

    @Test
    void headerFloodsAreRefused() throws Exception {
        StringBuilder many = new StringBuilder("GET /v1/models HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 3000; i++) many.append("X-Flood-").append(i).append(": ").append("y".repeat(20)).append("\r\n");
        String answer = rawExchange(many + "\r\n");
        assertThat(answer).startsWith("HTTP/1.1 4");
        String huge = rawExchange("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "z".repeat(100_000) + "\r\n\r\n");
        assertThat(huge).startsWith("HTTP/1.1 4");
    }

    @Test
    void nothingBadReachesTheBackendAndNormalRequestsStillWork() throws Exception {
        int before = upstream.requestCount();
        post("{\"model\":\"chat\",\"messages\":[}");
        post("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":\"x\"}");
        assertThat(upstream.requestCount()).isEqualTo(before);
        HttpResponse<String> ok = post("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(upstream.requestCount()).isEqualTo(before + 1);
    }

    @Property(tries = 150)
    void arbitraryBodiesNeverCauseA5xx(@ForAll("hostileBodies") String body) throws Exception {
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).as(r.body()).isLessThan(500);
        if (r.statusCode() != 200) assertThat(TestGateway.errorCode(r)).isNotBlank();
    }

    @Provide
    Arbitrary<String> hostileBodies() {
        Arbitrary<String> noise = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> jsonish = Arbitraries.of("{", "}", "[", "]", "\"model\"", ":", ",", "\"chat\"", "\"messages\"",
                "\"role\"", "\"user\"", "\"content\"", "null", "true", "1e999", "-0", "\"\\ud800\"", "\"stream\"",
                "\"max_tokens\"", "{\"role\":\"user\",\"content\":\"x\"}").list().ofMaxSize(40)
                .map(parts -> String.join("", parts));
        return Arbitraries.oneOf(noise, jsonish);
    }

    /** Sends raw bytes and returns whatever comes back before the server answers or closes (at most 15 s). */
    static String rawExchange(String request) throws IOException {
        try (Socket s = new Socket(gateway.base().getHost(), gateway.base().getPort())) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // the server may close while a flood is still being written: read what it said
            }
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            StringBuilder sb = new StringBuilder();
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    if (sb.indexOf("\r\n\r\n") > 0 && sb.length() > 40) break;
                }
            } catch (java.net.SocketException e) {
                // connection reset by the server: counts as being cut off
            }
            return sb.toString();
        }
    }
}
