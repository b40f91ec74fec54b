package dev.bastion.bench.route;

import com.sun.net.httpserver.HttpServer;
import dev.bastion.config.ConfigLoader;
import dev.bastion.server.BastionServer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failover time: Bastion serves one alias from two backends under steady load; one backend's process dies
 * (its listener and connections close). Measured: the time from the death until Bastion stops sending it traffic —
 * when {@code /bastion/v1/routing} shows it out of rotation; from then on no request is routed to it — and how many
 * client requests failed meanwhile (fallback before the first byte should make that zero).
 * Run: {@code java -cp bench/target/bastion-bench.jar dev.bastion.bench.route.FailoverTimeRun [clients] [rounds]}
 */
public final class FailoverTimeRun {
    private static final String CHAT = "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Long> toOut = new ArrayList<>();
        long failedTotal = 0;
        for (int round = 0; round < rounds; round++) {
            long[] r = round(clients);
            toOut.add(r[0]);
            failedTotal += r[1];
            System.out.printf("round %d: out of rotation %.1f ms after its death; %d client errors of %d requests%n",
                    round, r[0] / 1e6, r[1], r[2]);
        }
        toOut.sort(null);
        System.out.printf("median over %d rounds: the dead backend gets no more traffic after %.1f ms (max %.1f);"
                + " client errors in all rounds: %d%n", rounds, toOut.get(rounds / 2) / 1e6, toOut.getLast() / 1e6, failedTotal);
    }

    /** Returns {ns until the dead backend is out of rotation, client errors, requests}. */
    private static long[] round(int clients) throws Exception {
        HttpServer a = backend(), b = backend();
        Path dir = Files.createTempDirectory("bastion-failover");
        String yaml = """
                server: {port: 0, read-timeout: 5s}
                data-dir: %s
                backends:
                  - {name: a, url: "http://127.0.0.1:%d/v1", max-classification: internal, connect-timeout: 1s, eject: {after: 3, for: 30s}, health: {interval: 200ms}}
                  - {name: b, url: "http://127.0.0.1:%d/v1", max-classification: internal, connect-timeout: 1s, eject: {after: 3, for: 30s}, health: {interval: 200ms}}
                models:
                  - alias: chat
                    backends: [{backend: a, model: m}, {backend: b, model: m}]
                """.formatted(dir.resolve("data"), a.getAddress().getPort(), b.getAddress().getPort());
        Path file = dir.resolve("bastion.yaml");
        Files.writeString(file, yaml);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BastionServer server = BastionServer.start(ConfigLoader.load(file, Map.of()), Clock.systemUTC(),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        try {
            Matcher m = Pattern.compile("(bst_[a-z2-7]{12}_[A-Za-z0-9_-]{43})").matcher(console.toString(StandardCharsets.UTF_8));
            if (!m.find()) throw new IllegalStateException("no admin key");
            String admin = m.group(1);
            String key = new com.fasterxml.jackson.databind.ObjectMapper().readTree(send(http, server.baseUri(), "POST",
                    "/bastion/v1/keys", admin, "{\"name\":\"load\"}").body()).path("key").asText();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger errors = new AtomicInteger(), requests = new AtomicInteger();
            List<Thread> load = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                load.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = send(http, server.baseUri(), "POST", "/v1/chat/completions", key,
                                    "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                            requests.incrementAndGet();
                            if (r.statusCode() != 200) errors.incrementAndGet();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                }));
            }
            Thread.sleep(1_000); // load settles on both backends
            // the death: a's listener and connections close, new connections are refused
            a.stop(0);
            long died = System.nanoTime();
            long out = -1;
            while (System.nanoTime() - died < 10_000_000_000L) {
                String routing = send(http, server.baseUri(), "GET", "/bastion/v1/routing", admin, null).body();
                if (routing.matches("(?s).*\"name\":\"a\",\"in_rotation\":false.*")) {
                    out = System.nanoTime() - died;
                    break;
                }
            }
            Thread.sleep(500);
            running.set(false);
            for (Thread t : load) t.join();
            return new long[] {out, errors.get(), requests.get()};
        } finally {
            server.stop();
            b.stop(0);
        }
    }

    private static HttpServer backend() throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.createContext("/v1/", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] body = CHAT.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        s.start();
        return s;
    }

    private static HttpResponse<String> send(HttpClient http, URI base, String method, String path, String key, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) b.header("Authorization", "Bearer " + key);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
