package dev.bastion.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import dev.bastion.testing.TestStores;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Gateways for privacy tests on either store, and the calls the tests make (with X-Bastion-* headers). */
final class PrivacyGateways {
    static final ObjectMapper JSON = new ObjectMapper();

    private PrivacyGateways() {}

    /** YAML that puts a gateway's store on {@code store} (SQLite: its file; PostgreSQL: its database). */
    static String storeYaml(TestStores.Handle store) {
        StoreConfig c = store.config();
        if (c.kind() == StoreConfig.Kind.SQLITE) {
            return "store:\n  type: sqlite\n  file: " + Path.of(c.url().substring("jdbc:sqlite:".length())) + "\n";
        }
        return "store:\n  type: postgres\n  url: " + c.url() + "\n  user: " + c.user() + "\n  password: "
                + c.password().value() + "\n";
    }

    static TestGateway start(StandInUpstream upstream, TestStores.Handle store, String extraYaml) throws IOException {
        return TestGateway.start(upstream, storeYaml(store) + extraYaml);
    }

    /** A chat request naming subjects for a purpose (either may be null). */
    static HttpResponse<String> chat(TestGateway gw, String key, String purpose, String subjects, String text)
            throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("model", "echo", "messages",
                java.util.List.of(Map.of("role", "user", "content", text))));
        return send(gw, "POST", "/v1/chat/completions", key, purpose, subjects, body);
    }

    static HttpResponse<String> post(TestGateway gw, String path, String key, String purpose, Object body)
            throws IOException, InterruptedException {
        return send(gw, "POST", path, key, purpose, null, JSON.writeValueAsString(body));
    }

    static HttpResponse<String> send(TestGateway gw, String method, String path, String key, String purpose,
                                     String subjects, String body) throws IOException, InterruptedException {
        Map<String, String> headers = new java.util.HashMap<>();
        if (purpose != null) headers.put("X-Bastion-Purpose", purpose);
        if (subjects != null) headers.put("X-Bastion-Subject", subjects);
        return gw.send(method, path, key, body, headers);
    }

    static JsonNode json(HttpResponse<String> r) throws IOException { return JSON.readTree(r.body()); }

    static String code(HttpResponse<String> r) throws IOException { return json(r).path("error").path("code").asText(); }

    /** Minted by the machine's operator: the shipped policy forbids the admin to grant privacy-officer. */
    static String officerKey(TestGateway gw) {
        return gw.operatorKey("dpo", "privacy-officer");
    }

    /** Waits for a condition that other threads make true (no fixed sleeps). */
    static void await(Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + timeout);
            LockSupport.parkNanos(5_000_000);
        }
    }
}
