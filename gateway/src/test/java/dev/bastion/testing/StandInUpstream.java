package dev.bastion.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small OpenAI-compatible server standing in for a model server (vLLM, llama.cpp server…) in tests. It answers
 * deterministically and records what it received, so tests can check exactly what Bastion forwarded. Behaviour is
 * steered by the upstream model name: {@code fail-<status>}, {@code slow} (answers after 3 s),
 * {@code stall-stream} (two events then silence), {@code break-stream} (two events then a dropped connection),
 * {@code gated-stream} (events after the first wait for {@link #release()}), {@code drip-stream} (events 150 ms apart),
 * {@code echo} (answers with the last message's text, streamed three characters per event, so entities and
 * pseudonyms are split across events).
 */
public final class StandInUpstream implements AutoCloseable {
    public static final List<String> PIECES = List.of("Hello", " from", " the", " stand", "-in", " model", ".");
    /** What model {@code leak} answers: personal data the prompt did not contain (for output inspection). */
    public static final String LEAK = "Write to jane.roe@example.org or to ann.lee@example.com, and call +1 415 555 0132.";
    /** What a {@code gated-stream} sends before it waits: longer than any output-inspection window. */
    public static final String PREAMBLE = "All systems are running normally and the weather is calm today. ".repeat(8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger brokenStreams = new AtomicInteger();
    private final List<String> traceparents = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate = new CountDownLatch(1);
    private volatile CountDownLatch streamStarted = new CountDownLatch(1);

    private final boolean tls;
    private final String host;

    private final java.util.Map<String, String> reported = new java.util.concurrent.ConcurrentHashMap<>();

    public StandInUpstream() throws IOException {
        this((javax.net.ssl.SSLContext) null);
    }

    /** With a server {@link javax.net.ssl.SSLContext}: the stand-in speaks HTTPS (an upstream behind TLS). */
    public StandInUpstream(javax.net.ssl.SSLContext ssl) throws IOException {
        this(ssl, "127.0.0.1");
    }

    /** Plain HTTP on another local address (a network-namespace test's second host). */
    public StandInUpstream(String bindAddress) throws IOException {
        this(null, bindAddress);
    }

    private StandInUpstream(javax.net.ssl.SSLContext ssl, String bindAddress) throws IOException {
        this.tls = ssl != null;
        this.host = bindAddress;
        if (ssl == null) {
            server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 64);
        } else {
            var https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress(bindAddress, 0), 64);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(ssl));
            server = https;
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", ex -> handle(ex, this::chat));
        server.createContext("/v1/completions", ex -> handle(ex, this::completion));
        server.createContext("/v1/embeddings", ex -> handle(ex, this::embeddings));
        server.createContext("/v1/models", ex -> handle(ex, (e, body) -> json(e, 200, modelList())));
        server.start();
    }

    /** Lists {@code model} in {@code /v1/models} with this revision (as vLLM-style servers report what they loaded). */
    public void reports(String model, String revision) { reported.put(model, revision); }

    private String modelList() {
        var data = JSON.createArrayNode();
        data.addObject().put("id", "stand-in").put("object", "model").put("owned_by", "test");
        reported.forEach((id, revision) -> data.addObject().put("id", id).put("object", "model")
                .put("owned_by", "test").put("root", "/models/" + id).put("revision", revision));
        return JSON.createObjectNode().put("object", "list").set("data", data).toString();
    }

    public URI baseUrl() {
        return URI.create((tls ? "https" : "http") + "://" + host + ":" + server.getAddress().getPort() + "/v1");
    }

    /** Bodies received, oldest first, exactly as sent. */
    public List<byte[]> bodies() { return bodies; }

    public JsonNode lastBody() throws IOException { return JSON.readTree(bodies.getLast()); }

    public int requestCount() { return requests.get(); }

    /** The {@code traceparent} header of each model request in order ("" when it had none). */
    public List<String> traceparents() { return traceparents; }

    /** Streams whose client connection broke while the stand-in was still writing (cancellations seen upstream). */
    public int brokenStreams() { return brokenStreams.get(); }

    /** Lets a {@code gated-stream} continue. */
    public void release() { gate.countDown(); }

    public boolean awaitStreamStart(long seconds) throws InterruptedException {
        return streamStarted.await(seconds, TimeUnit.SECONDS);
    }

    private interface Handler {
        void handle(HttpExchange ex, JsonNode body) throws IOException, InterruptedException;
    }

    /** Thrown by a handler to drop the connection without ending the response (a crashed model server). */
    private static final class DropConnection extends RuntimeException {
        DropConnection() {
            super("stand-in drops the connection", null, false, false);
        }
    }

    private void handle(HttpExchange ex, Handler handler) {
        try {
            byte[] raw = ex.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            String traceparent = ex.getRequestHeaders().getFirst("traceparent");
            traceparents.add(traceparent == null ? "" : traceparent);
            JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
            if (raw.length > 0) bodies.add(raw);
            String model = body.path("model").asText("");
            if (model.startsWith("fail-")) {
                int status = Integer.parseInt(model.substring(5));
                if (status == 429) ex.getResponseHeaders().add("Retry-After", "7");
                json(ex, status, "{\"error\":{\"message\":\"upstream says no to: " + body.path("messages")
                        + "\",\"type\":\"server_error\",\"code\":\"upstream_" + status + "\"}}");
                ex.close();
                return;
            }
            if (model.equals("slow")) Thread.sleep(3_000);
            handler.handle(ex, body);
            ex.close();
        } catch (IOException e) {
            brokenStreams.incrementAndGet();
            ex.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
        }
        // DropConnection propagates: the JDK server then closes the socket mid-response
    }

    private void chat(HttpExchange ex, JsonNode body) throws IOException, InterruptedException {
        String model = body.path("model").asText();
        if (model.equals("echo") || model.equals("leak")) {
            JsonNode messages = body.path("messages");
            echo(ex, body, model.equals("leak") ? LEAK : messages.get(messages.size() - 1).path("content").asText(""));
            return;
        }
        int n = body.path("n").asInt(1);
        boolean tools = body.has("tools");
        if (body.path("stream").asBoolean(false)) {
            stream(ex, body, model, n, false);
            return;
        }
        ObjectNode out = head("chat.completion", model);
        ArrayNode choices = out.putArray("choices");
        for (int i = 0; i < n; i++) {
            ObjectNode c = choices.addObject();
            c.put("index", i);
            ObjectNode msg = c.putObject("message");
            msg.put("role", "assistant");
            if (tools) {
                msg.putNull("content");
                ObjectNode call = msg.putArray("tool_calls").addObject();
                call.put("id", "call_1");
                call.put("type", "function");
                call.putObject("function").put("name", body.path("tools").get(0).path("function").path("name").asText())
                        .put("arguments", "{\"city\":\"Paris\"}");
                c.put("finish_reason", "tool_calls");
            } else {
                msg.put("content", String.join("", PIECES));
                c.put("finish_reason", "stop");
            }
            if (body.path("logprobs").asBoolean(false)) c.putObject("logprobs").putArray("content");
        }
        out.set("usage", usage(11, PIECES.size()));
        json(ex, 200, JSON.writeValueAsString(out));
    }

    private void completion(HttpExchange ex, JsonNode body) throws IOException, InterruptedException {
        String model = body.path("model").asText();
        if (body.path("stream").asBoolean(false)) {
            stream(ex, body, model, 1, true);
            return;
        }
        ObjectNode out = head("text_completion", model);
        ObjectNode c = out.putArray("choices").addObject();
        c.put("index", 0);
        c.put("text", String.join("", PIECES));
        c.put("finish_reason", "stop");
        out.set("usage", usage(5, PIECES.size()));
        json(ex, 200, JSON.writeValueAsString(out));
    }

    private void embeddings(HttpExchange ex, JsonNode body) throws IOException {
        JsonNode input = body.path("input");
        int count = input.isArray() ? input.size() : 1;
        boolean base64 = "base64".equals(body.path("encoding_format").asText());
        ObjectNode out = JSON.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < count; i++) {
            float[] v = {0.25f * (i + 1), -0.5f, 1.0f};
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", i);
            if (base64) {
                ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) buf.putFloat(f);
                e.put("embedding", Base64.getEncoder().encodeToString(buf.array()));
            } else {
                ArrayNode arr = e.putArray("embedding");
                for (float f : v) arr.add(f);
            }
        }
        out.put("model", body.path("model").asText());
        out.set("usage", usage(3 * count, 0).without("completion_tokens"));
        json(ex, 200, JSON.writeValueAsString(out));
    }

    private void stream(HttpExchange ex, JsonNode body, String model, int n, boolean text)
            throws IOException, InterruptedException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        streamStarted.countDown();
        String object = text ? "text_completion" : "chat.completion.chunk";
        if (model.equals("gated-stream")) {
            ObjectNode pre = head(object, model);
            ObjectNode c = pre.putArray("choices").addObject();
            c.put("index", 0);
            c.putObject("delta").put("role", "assistant").put("content", PREAMBLE);
            c.putNull("finish_reason");
            event(out, JSON.writeValueAsString(pre));
        }
        int sent = 0;
        for (int p = 0; p < PIECES.size(); p++) {
            for (int i = 0; i < n; i++) {
                ObjectNode chunk = head(object, model);
                ObjectNode c = chunk.putArray("choices").addObject();
                c.put("index", i);
                if (text) c.put("text", PIECES.get(p));
                else {
                    ObjectNode delta = c.putObject("delta");
                    if (p == 0) delta.put("role", "assistant");
                    delta.put("content", PIECES.get(p));
                }
                if (p == PIECES.size() - 1) c.put("finish_reason", "stop");
                else c.putNull("finish_reason");
                event(out, JSON.writeValueAsString(chunk));
            }
            sent++;
            if (model.equals("gated-stream")) gate.await(10, TimeUnit.SECONDS);
            if (model.equals("drip-stream")) Thread.sleep(150);
            if (sent == 2 && model.equals("stall-stream")) Thread.sleep(5_000);
            if (sent == 2 && model.equals("break-stream")) throw new DropConnection();
        }
        if (body.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode u = head(object, model);
            u.putArray("choices");
            u.set("usage", usage(11, PIECES.size()));
            event(out, JSON.writeValueAsString(u));
        }
        event(out, "[DONE]");
    }

    private void echo(HttpExchange ex, JsonNode body, String text) throws IOException {
        if (!body.path("stream").asBoolean(false)) {
            ObjectNode out = head("chat.completion", "echo");
            ObjectNode c = out.putArray("choices").addObject();
            c.put("index", 0);
            c.putObject("message").put("role", "assistant").put("content", text);
            c.put("finish_reason", "stop");
            json(ex, 200, JSON.writeValueAsString(out));
            return;
        }
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (int i = 0; i < text.length(); i += 3) {
            ObjectNode chunk = head("chat.completion.chunk", "echo");
            ObjectNode c = chunk.putArray("choices").addObject();
            c.put("index", 0);
            c.putObject("delta").put("content", text.substring(i, Math.min(text.length(), i + 3)));
            c.putNull("finish_reason");
            event(out, JSON.writeValueAsString(chunk));
        }
        ObjectNode last = head("chat.completion.chunk", "echo");
        ObjectNode c = last.putArray("choices").addObject();
        c.put("index", 0);
        c.putObject("delta");
        c.put("finish_reason", "stop");
        event(out, JSON.writeValueAsString(last));
        event(out, "[DONE]");
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static ObjectNode head(String object, String model) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", "standin-1");
        o.put("object", object);
        o.put("created", 1_700_000_000L);
        o.put("model", model);
        return o;
    }

    private static ObjectNode usage(int prompt, int completion) {
        ObjectNode u = JSON.createObjectNode();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        return u;
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        gate.countDown();
        server.stop(0);
    }
}
