package dev.bastion.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAI surface of a real worker process over its Unix socket. */
class WorkerApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WorkerProcess worker;
    private static LlamaEngine reference;

    @BeforeAll
    static void start() throws Exception {
        worker = WorkerProcess.start("--network", "host", "--parallel", "2", "--ctx", "1024", "--max-tokens", "300",
                "--max-body", "65536", "--embeddings", "true").awaitHealthy();
        reference = LlamaEngine.load(TestModels.tiny(), 1, 256, 1, false, false, false);
    }

    @AfterAll
    static void stop() throws Exception {
        reference.close();
        worker.close();
    }

    private static UdsClient.Response post(String path, String json) throws Exception {
        return UdsClient.once(worker.socket, "POST", path, json);
    }

    private static JsonNode json(UdsClient.Response r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void healthAndModelsDescribeTheVerifiedModel() throws Exception {
        JsonNode h = json(UdsClient.once(worker.socket, "GET", "/health", null));
        assertThat(h.path("status").asText()).isEqualTo("ok");
        assertThat(h.path("sha256").asText()).isEqualTo(TestModels.tinySha256());
        assertThat(h.path("slot_context").asInt()).isEqualTo(512);
        JsonNode m = json(UdsClient.once(worker.socket, "GET", "/v1/models", null)).path("data").get(0);
        assertThat(m.path("id").asText()).isEqualTo("tiny");
        assertThat(m.path("meta").path("architecture").asText()).isEqualTo("llama");
        assertThat(m.path("meta").path("quantization").asText()).isEqualTo("Q8_0");
        assertThat(m.path("meta").path("context_length").asInt()).isEqualTo(1024);
    }

    @Test
    void chatCompletionCountsPromptAndCompletionTokens() throws Exception {
        var r = post("/v1/chat/completions", """
                {"model":"tiny","messages":[{"role":"system","content":"Be brief"},{"role":"user","content":"Hello"}],
                 "max_tokens":9,"temperature":0}""");
        assertThat(r.status()).isEqualTo(200);
        JsonNode j = json(r);
        assertThat(j.path("object").asText()).isEqualTo("chat.completion");
        JsonNode choice = j.path("choices").get(0);
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isNotEmpty();
        assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
        int expectedPrompt = reference.tokenize(reference.applyChatTemplate(List.of(
                new LlamaEngine.Message("system", "Be brief"), new LlamaEngine.Message("user", "Hello")))).length;
        assertThat(j.path("usage").path("prompt_tokens").asInt()).isEqualTo(expectedPrompt);
        assertThat(j.path("usage").path("completion_tokens").asInt()).isEqualTo(9);
        assertThat(j.path("usage").path("total_tokens").asInt()).isEqualTo(expectedPrompt + 9);
    }

    @Test
    void streamedChatDeliversTheSameTextAsWholeThenUsageThenDone() throws Exception {
        String body = """
                {"messages":[{"role":"user","content":"Tell me"}],"max_tokens":15,"temperature":0%s}""";
        String whole = json(post("/v1/chat/completions", body.formatted(""))).path("choices").get(0)
                .path("message").path("content").asText();
        List<String> events = new ArrayList<>();
        var r = UdsClient.once(worker.socket, "POST", "/v1/chat/completions",
                body.formatted(",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("content-type")).isEqualTo("text/event-stream");
        for (String e : r.text().split("\n\n")) events.add(e.substring("data: ".length()));
        assertThat(events.getLast()).isEqualTo("[DONE]");
        JsonNode first = JSON.readTree(events.getFirst());
        assertThat(first.path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String e : events.subList(0, events.size() - 2)) {
            JsonNode c = JSON.readTree(e).path("choices").get(0);
            text.append(c.path("delta").path("content").asText(""));
            if (!c.path("finish_reason").isNull()) finish = c.path("finish_reason").asText();
        }
        assertThat(text.toString()).isEqualTo(whole);
        assertThat(finish).isEqualTo("length");
        JsonNode usage = JSON.readTree(events.get(events.size() - 2));
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("completion_tokens").asInt()).isEqualTo(15);
    }

    /**
     * The finish event, the usage event, [DONE] and the end of the chunked body are all known once generation
     * stops: they leave in one write, so a relaying gateway is woken once for them instead of four times (each
     * wake-up is a scheduling delay on the time a client waits for the end of a short stream).
     */
    @Test
    void streamTailLeavesInOneWrite() throws Exception {
        try (var ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.connect(java.net.UnixDomainSocketAddress.of(worker.socket));
            byte[] body = "{\"prompt\":\"The worker\",\"max_tokens\":3,\"temperature\":0,\"stream\":true,\"stream_options\":{\"include_usage\":true}}"
                    .getBytes(StandardCharsets.UTF_8);
            ch.write(java.nio.ByteBuffer.wrap(("POST /v1/completions HTTP/1.1\r\nHost: e\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1)));
            ch.write(java.nio.ByteBuffer.wrap(body));
            var buf = java.nio.ByteBuffer.allocate(1 << 16);
            String last = null;
            StringBuilder all = new StringBuilder();
            while (ch.read(buf.clear()) > 0) {
                last = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
                all.append(last);
            }
            assertThat(all.toString()).contains("\"finish_reason\":\"length\"").endsWith("data: [DONE]\n\n\r\n0\r\n\r\n");
            // the read that brought the end also brought the finish and usage events (one write, one read)
            assertThat(last).contains("\"finish_reason\":\"length\"", "\"usage\"", "data: [DONE]").endsWith("0\r\n\r\n");
        }
    }

    @Test
    void stopSequencesCutTheAnswerInStreamAndWhole() throws Exception {
        String base = "{\"prompt\":\"The worker\",\"max_tokens\":40,\"temperature\":0%s}";
        String full = json(post("/v1/completions", base.formatted(""))).path("choices").get(0).path("text").asText();
        String stop = full.substring(8, 11);
        String expected = full.substring(0, full.indexOf(stop));
        String stopJson = ",\"stop\":[" + JSON.writeValueAsString(stop) + "]";
        JsonNode whole = json(post("/v1/completions", base.formatted(stopJson))).path("choices").get(0);
        assertThat(whole.path("text").asText()).isEqualTo(expected);
        assertThat(whole.path("finish_reason").asText()).isEqualTo("stop");
        var streamed = post("/v1/completions", base.formatted(stopJson + ",\"stream\":true"));
        StringBuilder text = new StringBuilder();
        for (String e : streamed.text().split("\n\n")) {
            String data = e.substring(6);
            if (!data.equals("[DONE]")) text.append(JSON.readTree(data).path("choices").get(0).path("text").asText());
        }
        assertThat(text.toString()).isEqualTo(expected).doesNotContain(stop);
    }

    @Test
    void textCompletionCountsThePromptExactly() throws Exception {
        JsonNode j = json(post("/v1/completions", "{\"prompt\":\"Hello world, the gateway\",\"max_tokens\":3}"));
        assertThat(j.path("object").asText()).isEqualTo("text_completion");
        assertThat(j.path("usage").path("prompt_tokens").asInt())
                .isEqualTo(reference.tokenize("Hello world, the gateway").length);
        assertThat(j.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void sameSeedSameSample() throws Exception {
        String body = "{\"prompt\":\"A\",\"max_tokens\":30,\"temperature\":1.0,\"seed\":%d}";
        String a = json(post("/v1/completions", body.formatted(123))).path("choices").get(0).path("text").asText();
        String b = json(post("/v1/completions", body.formatted(123))).path("choices").get(0).path("text").asText();
        String c = json(post("/v1/completions", body.formatted(124))).path("choices").get(0).path("text").asText();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void embeddingsAsFloatsAndBase64() throws Exception {
        JsonNode j = json(post("/v1/embeddings", "{\"input\":[\"alpha\",\"beta\"]}"));
        assertThat(j.path("data")).hasSize(2);
        assertThat(j.path("data").get(1).path("index").asInt()).isEqualTo(1);
        assertThat(j.path("data").get(0).path("embedding")).hasSize(64);
        assertThat(j.path("usage").path("prompt_tokens").asInt()).isPositive();
        JsonNode b = json(post("/v1/embeddings", "{\"input\":\"alpha\",\"encoding_format\":\"base64\"}"));
        assertThat(Base64.getDecoder().decode(b.path("data").get(0).path("embedding").asText())).hasSize(64 * 4);
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        try (UdsClient c = new UdsClient(worker.socket)) {
            for (int i = 0; i < 3; i++) {
                assertThat(c.send("POST", "/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":2}").status()).isEqualTo(200);
                assertThat(c.send("GET", "/health", null).status()).isEqualTo(200);
            }
            var s = c.send("POST", "/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":2,\"stream\":true}");
            assertThat(s.text()).endsWith("data: [DONE]\n\n");
            assertThat(c.send("GET", "/health", null).status()).isEqualTo(200);
        }
    }

    @Test
    void badRequestsGetTypedErrors() throws Exception {
        expect(post("/v1/chat/completions", "{not json"), 400, "invalid_json");
        expect(post("/v1/chat/completions", "[1]"), 400, "invalid_json");
        expect(post("/v1/chat/completions", "{\"max_tokens\":3}"), 400, "missing_field");
        expect(post("/v1/chat/completions", "{\"messages\":[]}"), 400, "invalid_field");
        expect(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}"), 400, "invalid_field");
        expect(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":301}"),
                400, "max_tokens_too_large");
        expect(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":300,"
                + "\"temperature\":3}"), 400, "invalid_field");
        expect(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":2}"), 400, "invalid_field");
        expect(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"tools\":[{\"type\":\"function\"}]}"), 400, "invalid_field");
        expect(post("/v1/chat/completions", "{\"model\":\"other\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                404, "model_not_found");
        expect(post("/v1/completions", "{\"prompt\":\"" + "the ".repeat(600) + "\",\"max_tokens\":10}"),
                400, "context_length_exceeded");
        expect(post("/v1/nope", "{}"), 404, "not_found");
        expect(UdsClient.once(worker.socket, "GET", "/v1/chat/completions", null), 405, "method_not_allowed");
        expect(post("/v1/completions", "{\"prompt\":\"" + "x".repeat(70_000) + "\"}"), 413, "body_too_large");
    }

    @Test
    void malformedHttpGetsTypedErrorsToo() throws Exception {
        expect(raw("GET /health HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"), 431, "headers_too_large");
        expect(raw("BROKEN\r\n\r\n"), 400, "bad_request");
        expect(raw("POST /v1/completions HTTP/1.1\r\nContent-Type: application/json\r\n\r\n"), 411, "length_required");
        expect(raw("POST /v1/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 501, "not_implemented");
        expect(raw("POST /v1/completions HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"), 415, "unsupported_media_type");
        expect(raw("GET /health HTTP/1.1\nHost: x\n\n"), 400, "bad_request");
    }

    private static UdsClient.Response raw(String request) throws Exception {
        try (UdsClient c = new UdsClient(worker.socket)) {
            c.writeRaw(request.getBytes(StandardCharsets.ISO_8859_1));
            return c.read(null);
        }
    }

    private static void expect(UdsClient.Response r, int status, String code) throws Exception {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        JsonNode err = json(r).path("error");
        assertThat(err.path("code").asText()).isEqualTo(code);
        assertThat(err.path("message").asText()).isNotEmpty();
    }

}
