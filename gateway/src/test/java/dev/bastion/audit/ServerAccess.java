package dev.bastion.audit;

import dev.bastion.testing.StandInUpstream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Who may do what on the servers of the server-level audit tests, in one place: the backend every test server
 * uses, the key that calls models and the key that reads the audit log. When the access rules change (policy
 * decides who invokes models and who reads the log), this is the one file to adapt.
 */
final class ServerAccess {
    private ServerAccess() {}

    /** The {@code backends:} and {@code models:} sections: the stand-in as {@code standin}, alias {@code chat}. */
    static String backendYaml(StandInUpstream upstream) {
        return """
                backends:
                  - {name: standin, type: openai, url: "%s", read-timeout: 5s, region: eu-west, max-classification: confidential}
                models:
                  - {alias: chat, backend: standin, model: stand-in-7b}
                """.formatted(upstream.baseUrl());
    }

    /** A key that may call models: a fresh key without roles, created by the admin. */
    static String modelKey(URI base, String adminKey) throws Exception {
        return createKey(base, adminKey, "{\"name\":\"audit-test-model-user\"}");
    }

    /**
     * A key that may read the audit log ({@code audit.read}): the shipped policy gives it to auditors only, and only
     * the machine's operator mints auditors (the admin may not), so it comes from the CLI on the server's config.
     */
    static String auditReadKey(java.nio.file.Path configFile) {
        return dev.bastion.testing.OperatorKeys.create(configFile, "audit-test-auditor", "auditor");
    }

    private static String createKey(URI base, String adminKey, String body) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/bastion/v1/keys"))
                    .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) throw new IllegalStateException("key creation failed: " + r.statusCode());
            return ServerLoad.JSON.readTree(r.body()).path("key").asText();
        }
    }
}
