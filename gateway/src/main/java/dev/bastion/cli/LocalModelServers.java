package dev.bastion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Finds model servers on this machine for {@code bastion init}: Ollama ({@code GET /api/tags}) and OpenAI-compatible
 * servers ({@code GET /v1/models}: vLLM, llama.cpp server, LM Studio, LocalAI…). Loopback only, short timeouts, all
 * ports at once, so a machine with nothing listening answers within one timeout.
 */
final class LocalModelServers {
    /** vLLM/TGI, llama.cpp server, LM Studio, Ollama — the ports these servers use unless told otherwise. */
    static final List<Integer> USUAL_PORTS = List.of(8000, 8080, 1234, 11434);
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Type { openai, ollama }

    /** A server found on a loopback port, with the model names it lists (possibly none). */
    record Found(int port, Type type, List<String> models) {
        String url() { return "http://127.0.0.1:" + port + (type == Type.openai ? "/v1" : ""); }
    }

    private LocalModelServers() {}

    static List<Found> detect(List<Integer> ports, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).proxy(java.net.ProxySelector.of(null)).build();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Found>> probes = new ArrayList<>();
            for (int port : ports) probes.add(pool.submit(() -> probe(http, port, timeout)));
            List<Found> found = new ArrayList<>();
            for (Future<Found> f : probes) {
                try {
                    Found one = f.get();
                    if (one != null) found.add(one);
                } catch (Exception e) {
                    // a port that does not answer as a model server is simply not one
                }
            }
            return found;
        }
    }

    private static Found probe(HttpClient http, int port, Duration timeout) {
        JsonNode tags = get(http, port, "/api/tags", timeout);
        if (tags != null && tags.path("models").isArray()) {
            List<String> names = new ArrayList<>();
            for (JsonNode m : tags.path("models")) if (m.path("name").isTextual()) names.add(m.path("name").asText());
            return new Found(port, Type.ollama, names);
        }
        JsonNode models = get(http, port, "/v1/models", timeout);
        if (models != null && models.path("data").isArray()) {
            List<String> ids = new ArrayList<>();
            for (JsonNode m : models.path("data")) if (m.path("id").isTextual()) ids.add(m.path("id").asText());
            return new Found(port, Type.openai, ids);
        }
        return null;
    }

    private static JsonNode get(HttpClient http, int port, String path, Duration timeout) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout)
                    .header("Accept", "application/json").GET().build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
