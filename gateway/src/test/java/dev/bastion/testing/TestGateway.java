package dev.bastion.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.config.BastionConfig;
import dev.bastion.config.ConfigLoader;
import dev.bastion.server.BastionServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Bastion server for tests: its own data directory (SQLite), port 0, configured from YAML text in which
 * {@code ${upstream}} stands for the stand-in's base URL. The bootstrap admin key it prints is captured.
 */
public final class TestGateway implements AutoCloseable {
    private static final Pattern KEY = Pattern.compile("(bst_[a-z2-7]{12}_[A-Za-z0-9_-]{43})");
    private static final ObjectMapper JSON = new ObjectMapper();

    public final BastionServer server;
    public final Path dataDir;
    public final String adminKey;
    public final BastionConfig config;
    private final ByteArrayOutputStream console;
    private final HttpClient http = HttpClient.newHttpClient();
    private String developerKey;
    private String auditorKey;

    private TestGateway(BastionServer server, Path dataDir, String adminKey, BastionConfig config,
                        ByteArrayOutputStream console) {
        this.server = server;
        this.dataDir = dataDir;
        this.adminKey = adminKey;
        this.config = config;
        this.console = console;
    }

    /** What the server printed to its console so far (the admin key, fingerprints, the audit verifier key). */
    public String console() { return console.toString(StandardCharsets.UTF_8); }

    /** The audit log's verifier key, as printed at start. */
    public String auditVerifierKey() {
        return console().lines().filter(l -> l.startsWith("Audit log verifier key: ")).findFirst()
                .map(l -> l.substring("Audit log verifier key: ".length()).trim()).orElseThrow();
    }

    /** The default test setup: one OpenAI-compatible backend, aliases that exercise its behaviours. */
    public static TestGateway start(StandInUpstream upstream) throws IOException {
        return start(upstream, "");
    }

    /** @param extraYaml more top-level YAML (e.g. a {@code limits:} section) */
    public static TestGateway start(StandInUpstream upstream, String extraYaml) throws IOException {
        return start(upstream, extraYaml, Clock.systemUTC());
    }

    /** The default setup plus {@code extraYaml}, on the given clock. */
    public static TestGateway start(StandInUpstream upstream, String extraYaml, Clock clock) throws IOException {
        String yaml = """
                server:
                  port: 0
                  read-timeout: 2s
                  shutdown-grace: 10s
                  max-body-size: 256KiB
                backends:
                  - name: standin
                    type: openai
                    url: ${upstream}
                    read-timeout: 1s
                    connect-timeout: 1s
                    region: eu-west
                    max-classification: confidential
                models:
                  - alias: chat
                    backend: standin
                    model: stand-in-7b
                  - alias: same
                    backend: standin
                  - alias: slow
                    backend: standin
                    model: slow
                  - alias: failing
                    backend: standin
                    model: fail-500
                  - alias: unavailable
                    backend: standin
                    model: fail-503
                  - alias: busy
                    backend: standin
                    model: fail-429
                  - alias: rejecting
                    backend: standin
                    model: fail-422
                  - alias: stall
                    backend: standin
                    model: stall-stream
                  - alias: broken
                    backend: standin
                    model: break-stream
                  - alias: gated
                    backend: standin
                    model: gated-stream
                  - alias: drip
                    backend: standin
                    model: drip-stream
                  - alias: echo
                    backend: standin
                    model: echo
                """ + extraYaml;
        return startYaml(yaml.replace("${upstream}", upstream.baseUrl().toString()), clock);
    }

    public static TestGateway startYaml(String yaml) throws IOException {
        return startYaml(yaml, Clock.systemUTC());
    }

    /** @param clock the server's clock (key expiry, token times, audit times), for tests that move time by hand */
    public static TestGateway startYaml(String yaml, Clock clock) throws IOException {
        Path dir = Files.createTempDirectory("bastion-gw");
        Path file = dir.resolve("bastion.yaml");
        String text = GovernanceDefaults.servesUnregistered(yaml);
        Files.writeString(file, text.contains("data-dir:") ? text : text + "\ndata-dir: " + dir.resolve("data") + "\n");
        BastionConfig config = ConfigLoader.load(file, Map.of());
        var console = new ByteArrayOutputStream();
        BastionServer server = BastionServer.start(config, clock,
                new PrintStream(console, true, StandardCharsets.UTF_8), () -> ConfigLoader.load(file, Map.of()));
        Matcher m = KEY.matcher(console.toString(StandardCharsets.UTF_8));
        String admin = m.find() ? m.group(1) : null;
        return new TestGateway(server, dir, admin, config, console);
    }

    public URI base() { return server.baseUri(); }

    /** The configuration file the server reads again on {@code POST /bastion/v1/routing/reload}. */
    public Path configFile() { return dataDir.resolve("bastion.yaml"); }

    public String openAiBase() { return base() + "/v1"; }

    /**
     * A key with the {@code developer} role (what keys get without roles), created on first use: under the shipped
     * default policy the bootstrap admin operates Bastion but does not use models.
     */
    public synchronized String developerKey() throws IOException, InterruptedException {
        if (developerKey == null) developerKey = createKey("{\"name\":\"developer\"}");
        return developerKey;
    }

    /**
     * A key with the {@code auditor} role, created on first use: it reads the audit log (the admin does not). The
     * admin may not mint auditors, so it comes from the operator's CLI on the host ({@link OperatorKeys}).
     */
    public synchronized String auditorKey() {
        if (auditorKey == null) auditorKey = operatorKey("auditor", "auditor");
        return auditorKey;
    }

    /** A key minted by the machine's operator ({@code bastion keys create --role …}), for roles the admin may not grant. */
    public String operatorKey(String name, String roles) {
        return OperatorKeys.create(configFile(), name, roles);
    }

    /** Creates a key through the admin API and returns the key string. */
    public String createKey(String body) throws IOException, InterruptedException {
        return createKey(adminKey, body);
    }

    /** Creates a key with the given admin key (for servers whose admin key came from {@code operator init}). */
    public String createKey(String admin, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", "/bastion/v1/keys", admin, body);
        if (r.statusCode() != 201) throw new IllegalStateException("key creation failed: " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body()).path("key").asText();
    }

    public HttpResponse<String> send(String method, String path, String key, String body)
            throws IOException, InterruptedException {
        return send(method, path, key, body, Map.of());
    }

    /** As {@link #send(String, String, String, String)}, with extra headers (X-Bastion-Purpose, …). */
    public HttpResponse<String> send(String method, String path, String key, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) b.header("Authorization", "Bearer " + key);
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> chat(String key, String body) throws IOException, InterruptedException {
        return send("POST", "/v1/chat/completions", key, body);
    }

    /** A chat request with extra headers, given as name, value, name, value… */
    public HttpResponse<String> chat(String key, String body, String... headers) throws IOException, InterruptedException {
        Map<String, String> extra = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < headers.length; i += 2) extra.put(headers[i], headers[i + 1]);
        return send("POST", "/v1/chat/completions", key, body, extra);
    }

    public static JsonNode json(String body) throws IOException { return JSON.readTree(body); }

    /** The stable error code of an error response body. */
    public static String errorCode(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body()).path("error").path("code").asText();
    }

    @Override
    public void close() {
        server.stop();
        TestFiles.deleteTree(dataDir);
    }
}
