package dev.bastion.audit;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent model-API clients for the server-level audit tests: each client sends chat requests in a loop until
 * stopped and records every answered request's id and {@code X-Bastion-Audit-Index}. Requests that got no complete
 * answer (connection reset by a killed server, refused) are only counted.
 */
final class ServerLoad implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BODY = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    /** One request that received a complete answer. */
    record Answered(String server, String requestId, long auditIndex, int status) {}

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    final Queue<Answered> answered = new ConcurrentLinkedQueue<>();
    final AtomicInteger unanswered = new AtomicInteger();
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean stopped;

    /** Starts {@code clients} client threads per server; servers by name. */
    ServerLoad(Map<String, URI> servers, String apiKey, int clientsPerServer) {
        for (var s : servers.entrySet()) {
            for (int i = 0; i < clientsPerServer; i++) {
                clients.add(Thread.ofVirtual().start(() -> loop(s.getKey(), s.getValue(), apiKey)));
            }
        }
    }

    private void loop(String name, URI base, String apiKey) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(BODY, StandardCharsets.UTF_8)).build();
        while (!stopped) {
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                String id = r.headers().firstValue("X-Bastion-Request-Id").orElse(null);
                long index = r.headers().firstValue("X-Bastion-Audit-Index").map(Long::parseLong).orElse(-1L);
                answered.add(new Answered(name, id, index, r.statusCode()));
            } catch (IOException e) {
                unanswered.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    long answeredOk() { return answered.stream().filter(a -> a.status() == 200).count(); }

    /** Stops the clients and waits for their last requests to end. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : clients) t.join(Duration.ofSeconds(15));
        http.close();
    }
}
