package dev.bastion.replicas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.testing.ServerProcess;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestFiles;
import dev.bastion.testing.TestStores;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * N Bastion server processes on one PostgreSQL database, as replicas behind a load balancer: one shared barrier root
 * key (as a Kubernetes Secret would give them), the same configuration, one stand-in model server. The first
 * replica starts alone (it initialises the store and prints the bootstrap admin key), the others together.
 */
final class Cluster implements AutoCloseable {
    static final Duration START = Duration.ofSeconds(120);
    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final TestStores.Handle store;
    final StandInUpstream upstream;
    private final ServerProcess[] replicas;
    final String adminKey;
    final String verifierKey;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Cluster(Path dir, TestStores.Handle store, StandInUpstream upstream, int n) throws Exception {
        this.dir = dir;
        this.store = store;
        this.upstream = upstream;
        this.replicas = new ServerProcess[n];
        replicas[0] = ServerProcess.start(config(0), START);
        this.adminKey = replicas[0].adminKey();
        this.verifierKey = replicas[0].auditVerifierKey();
        List<CompletableFuture<ServerProcess>> others = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            Path c = config(i);
            others.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return ServerProcess.start(c, START);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (int i = 1; i < n; i++) replicas[i] = others.get(i - 1).join();
    }

    static Cluster start(int n) throws Exception {
        Path dir = Files.createTempDirectory("bastion-cluster");
        var upstream = new StandInUpstream();
        var store = TestStores.postgres();
        try {
            return new Cluster(dir, store, upstream, n);
        } catch (Exception | Error e) {
            store.close();
            upstream.close();
            TestFiles.deleteTree(dir);
            throw e;
        }
    }

    int size() { return replicas.length; }

    ServerProcess replica(int i) { return replicas[i]; }

    URI base(int i) { return replicas[i].base(); }

    /** Starts replica {@code i} again (after it exited or was killed) on its configuration; waits until it serves. */
    void restart(int i) throws IOException {
        replicas[i].close();
        replicas[i] = ServerProcess.start(dir.resolve("replica-" + i + ".yaml"), START);
    }

    /** Every configuration is the same but for the data directory (process-local files only). */
    private Path config(int i) throws IOException {
        Path file = dir.resolve("replica-" + i + ".yaml");
        Files.writeString(file, """
                server: {port: 0, read-timeout: 10s, shutdown-grace: 20s}
                data-dir: %s
                store: {type: postgres, url: "%s", user: "%s", password: "%s", pool-size: 8}
                barrier:
                  provider: insecure-file
                  insecure-file: {path: "%s"}
                audit: {origin: replicas.test/audit}
                backends:
                  - {name: standin, type: openai, url: "%s", read-timeout: 10s, max-connections: 256, region: eu-west, max-classification: confidential}
                models:
                  - {alias: chat, backend: standin, model: stand-in-7b}
                  - {alias: drip, backend: standin, model: drip-stream}
                  - {alias: revocable, backend: standin, model: stand-in-rev}
                """.formatted(dir.resolve("replica-" + i + "-data"), store.config().url(), store.config().user(),
                store.config().password().value(), dir.resolve("shared-root.key"), upstream.baseUrl()));
        return file;
    }

    HttpResponse<String> send(int replica, String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(replica) + path))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A new API key made by the admin; {@code body} is the key request. */
    String createKey(String body) throws Exception {
        var r = send(0, "POST", "/bastion/v1/keys", adminKey, body);
        if (r.statusCode() != 201) throw new IllegalStateException("key: " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body()).path("key").asText();
    }

    /** A key minted by the host operator ({@code bastion keys create} on replica 0's configuration): auditors. */
    String operatorKey(String name, String roles) {
        return dev.bastion.testing.OperatorKeys.create(dir.resolve("replica-0.yaml"), name, roles);
    }

    /** The audit entries stored so far, by index (read beside the servers with plain JDBC). */
    Map<Long, JsonNode> auditEntries() throws Exception {
        var c = store.config();
        Map<Long, JsonNode> out = new HashMap<>();
        try (Connection conn = DriverManager.getConnection(c.url(), c.user(), c.password().value());
             Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT idx, data FROM audit_entries")) {
            while (rs.next()) out.put(rs.getLong(1), JSON.readTree(rs.getBytes(2)));
        }
        return out;
    }

    /** Server logs, to explain a failure. */
    String logs() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < replicas.length; i++) {
            b.append("---- replica ").append(i).append(" ----\n").append(replicas[i].log()).append('\n');
        }
        return b.toString();
    }

    @Override
    public void close() {
        for (ServerProcess p : replicas) if (p != null) p.close();
        http.close();
        store.close();
        upstream.close();
        TestFiles.deleteTree(dir);
    }
}
