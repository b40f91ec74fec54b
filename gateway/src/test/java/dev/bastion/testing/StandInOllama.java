package dev.bastion.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** Stands in for an Ollama server's native API: /api/chat, /api/generate, /api/embed, /api/tags. */
public final class StandInOllama implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<byte[]> raw = new CopyOnWriteArrayList<>();

    public StandInOllama() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api/chat", ex -> reply(ex, true));
        server.createContext("/api/generate", ex -> reply(ex, false));
        server.createContext("/api/embed", ex -> {
            JsonNode body = read(ex);
            int n = body.path("input").isArray() ? body.path("input").size() : 1;
            StringBuilder vectors = new StringBuilder();
            for (int i = 0; i < n; i++) vectors.append(i == 0 ? "" : ",").append("[0.5,-0.25]");
            send(ex, "{\"model\":\"m\",\"embeddings\":[" + vectors + "],\"prompt_eval_count\":4}");
        });
        server.createContext("/api/tags", ex -> send(ex, "{\"models\":[]}"));
        server.start();
    }

    public URI baseUrl() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort()); }

    public JsonNode lastBody() { return bodies.getLast(); }

    /** Every request body exactly as received, in order (a capture of what Bastion sent). */
    public List<byte[]> rawBodies() { return raw; }

    private JsonNode read(HttpExchange ex) throws IOException {
        byte[] bytes = ex.getRequestBody().readAllBytes();
        raw.add(bytes);
        JsonNode body = JSON.readTree(bytes);
        bodies.add(body);
        return body;
    }

    private void reply(HttpExchange ex, boolean chat) throws IOException {
        JsonNode body = read(ex);
        String field = chat ? "message" : "response";
        boolean tools = body.has("tools");
        if (!body.path("stream").asBoolean(true)) {
            String content = tools
                    ? "\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"lookup\",\"arguments\":{\"q\":\"x\"}}}]}"
                    : chat ? "\"message\":{\"role\":\"assistant\",\"content\":\"Hi there\"}" : "\"response\":\"Hi there\"";
            send(ex, "{\"model\":\"m\"," + content + ",\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":9,\"eval_count\":2}");
            return;
        }
        ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (String piece : new String[] {"Hi", " there"}) {
                String value = chat ? "{\"role\":\"assistant\",\"content\":\"" + piece + "\"}" : "\"" + piece + "\"";
                out.write(("{\"model\":\"m\",\"" + field + "\":" + value + ",\"done\":false}\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            String last = chat ? "{\"role\":\"assistant\",\"content\":\"\"}" : "\"\"";
            out.write(("{\"model\":\"m\",\"" + field + "\":" + last + ",\"done\":true,\"done_reason\":\"length\","
                    + "\"prompt_eval_count\":9,\"eval_count\":2}\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange ex, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() { server.stop(0); }
}
