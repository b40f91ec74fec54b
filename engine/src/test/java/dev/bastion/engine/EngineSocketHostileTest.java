package dev.bastion.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine socket's part of the hostile-input suite (issue 13): only the gateway can reach this socket (0600 in a
 * 0700 directory), but the worker still answers anything malformed with a 4xx and a stable code, never a crash, a
 * hang or a 500 — and the worker keeps serving afterwards.
 */
class EngineSocketHostileTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WorkerProcess worker;

    @BeforeAll
    static void start() throws Exception {
        worker = WorkerProcess.start("--max-tokens", "64", "--max-body", "65536").awaitHealthy();
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(UdsClient.once(worker.socket, "GET", "/health", null).status()).as("still serving").isEqualTo(200);
        worker.close();
    }

    private static String post(String path, String headers, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\n" + headers + "Content-Length: " + b.length + "\r\n\r\n" + body;
    }

    private static String chat(String body) {
        return post("/v1/chat/completions", "Content-Type: application/json\r\n", body);
    }

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        String m = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
        c.add(Arguments.of("garbage request line", "BROKEN\r\n\r\n", 400, "bad_request"));
        c.add(Arguments.of("bare LF", "GET /health HTTP/1.1\nHost: x\n\n", 400, "bad_request"));
        c.add(Arguments.of("no version", "GET /health\r\n\r\n", 400, "bad_request"));
        c.add(Arguments.of("HTTP/2.0", "GET /health HTTP/2.0\r\n\r\n", 400, "bad_request"));
        c.add(Arguments.of("method with markup", "X<b>M</b> /health HTTP/1.1\r\n\r\n", 400, "bad_request"));
        c.add(Arguments.of("lower-case method", "get /health HTTP/1.1\r\n\r\n", 400, "bad_request"));
        c.add(Arguments.of("absolute-form target", "GET http://x/health HTTP/1.1\r\n\r\n", 400, "bad_request"));
        c.add(Arguments.of("target with a control character", "GET /he\u0001alth HTTP/1.1\r\n\r\n", 400, "bad_request"));
        c.add(Arguments.of("target over 2 KiB", "GET /" + "a".repeat(3000) + " HTTP/1.1\r\n\r\n", 400, "bad_request"));
        c.add(Arguments.of("header without a colon", "GET /health HTTP/1.1\r\nBroken\r\n\r\n", 400, "bad_request"));
        c.add(Arguments.of("header name with a space", "GET /health HTTP/1.1\r\nBad Name: x\r\n\r\n", 400, "bad_request"));
        c.add(Arguments.of("NUL in a header value", "GET /health HTTP/1.1\r\nX-A: a\0b\r\n\r\n", 400, "bad_request"));
        c.add(Arguments.of("header block over the limit", "GET /health HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", 431, "headers_too_large"));
        c.add(Arguments.of("1,000 headers", "GET /health HTTP/1.1\r\n" + "X-A: b\r\n".repeat(1000) + "\r\n", 431, "headers_too_large"));
        c.add(Arguments.of("two Content-Lengths", "POST /v1/completions HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}", 400, "bad_request"));
        c.add(Arguments.of("negative Content-Length", "POST /v1/completions HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n", 400, "bad_request"));
        c.add(Arguments.of("Content-Length not a number", "POST /v1/completions HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 1e3\r\n\r\n", 400, "bad_request"));
        c.add(Arguments.of("Content-Length over the limit", "POST /v1/completions HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\n\r\n", 413, "body_too_large"));
        c.add(Arguments.of("no Content-Length on a POST", "POST /v1/completions HTTP/1.1\r\nContent-Type: application/json\r\n\r\n", 411, "length_required"));
        c.add(Arguments.of("chunked", "POST /v1/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501, "not_implemented"));
        c.add(Arguments.of("no Content-Type", post("/v1/completions", "", "{}"), 415, "unsupported_media_type"));
        c.add(Arguments.of("text/plain", post("/v1/completions", "Content-Type: text/plain\r\n", "{}"), 415, "unsupported_media_type"));
        c.add(Arguments.of("unknown route", "GET /v1/nope HTTP/1.1\r\n\r\n", 404, "not_found"));
        c.add(Arguments.of("dot segments", "GET /v1/../health HTTP/1.1\r\n\r\n", 404, "not_found"));
        c.add(Arguments.of("GET on chat", "GET /v1/chat/completions HTTP/1.1\r\n\r\n", 405, "method_not_allowed"));
        c.add(Arguments.of("POST on health", post("/health", "Content-Type: application/json\r\n", "{}"), 405, "method_not_allowed"));
        c.add(Arguments.of("invalid JSON", chat("{not json"), 400, "invalid_json"));
        c.add(Arguments.of("a JSON array", chat("[1]"), 400, "invalid_json"));
        c.add(Arguments.of("nesting 10,000 deep", chat("{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"), 400, "invalid_json"));
        c.add(Arguments.of("messages missing", chat("{\"max_tokens\":3}"), 400, "missing_field"));
        c.add(Arguments.of("messages empty", chat("{\"messages\":[]}"), 400, "invalid_field"));
        c.add(Arguments.of("max_tokens over the limit", chat(m + ",\"max_tokens\":65}"), 400, "max_tokens_too_large"));
        c.add(Arguments.of("temperature out of range", chat(m + ",\"temperature\":3}"), 400, "invalid_field"));
        c.add(Arguments.of("n of 2", chat(m + ",\"n\":2}"), 400, "invalid_field"));
        c.add(Arguments.of("tools", chat(m + ",\"tools\":[{\"type\":\"function\"}]}"), 400, "invalid_field"));
        c.add(Arguments.of("another model", chat("{\"model\":\"other\"," + m.substring(1) + "}"), 404, "model_not_found"));
        c.add(Arguments.of("embeddings without input", post("/v1/embeddings", "Content-Type: application/json\r\n", "{}"), 400, "missing_field"));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyMalformedRequestGetsA4xxWithAStableCode(String name, String request, int status, String code) throws Exception {
        UdsClient.Response r;
        try (UdsClient client = new UdsClient(worker.socket)) {
            client.writeRaw(request.getBytes(StandardCharsets.ISO_8859_1));
            r = client.read(null);
        }
        assertThat(r.status()).as(name + ": " + r.text()).isEqualTo(status);
        assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).as(name).isEqualTo(code);
    }
}
