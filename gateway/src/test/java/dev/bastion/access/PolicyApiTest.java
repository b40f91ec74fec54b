package dev.bastion.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The policy from a file, over HTTP: read it, reload it (an invalid file keeps the old policy, with file:line
 * errors), simulate against it, have its obligations enforced on model requests, follow the file when it changes,
 * and find every change in the audit log with the digest of the policy in force.
 */
class PolicyApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEFAULT = defaultPolicy();
    /** The shipped policy plus an obligation: model calls stay in eu-west and generate at most 64 tokens. */
    static final String CAPPED = DEFAULT + """
              - id: eu-only-capped
                description: Model calls stay in the EU and are capped.
                effect: obligate
                roles: ["*"]
                actions: [model.invoke, model.embed]
                obligations: {regions: [eu-west], max_tokens: 64}
              - id: no-embeddings-from-this-host
                effect: forbid
                roles: ["*"]
                actions: [model.embed]
                when: ip_in_cidr(request.client_ip, "127.0.0.0/8") || ip_in_cidr(request.client_ip, "::1/128")
            """;
    static final String BROKEN = CAPPED + """
              - id: broken
                effect: permit
                roles: [developer]
                actions: [model.delete]
                when: request.classification_level > "high"
            """;
    static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    static StandInUpstream upstream;
    static TestGateway gw;
    static Path file;
    static String developer;

    @BeforeAll
    static void start() throws Exception {
        upstream = new StandInUpstream();
        file = Files.createTempDirectory("bastion-policy").resolve("policy.yaml");
        Files.writeString(file, CAPPED);
        gw = TestGateway.startYaml(yaml(file, false));
        developer = gw.developerKey();
    }

    static String yaml(Path policy, boolean watch) {
        return """
                server: {port: 0, read-timeout: 2s}
                policy: {file: "%s", watch: %s}
                backends:
                  - {name: eu, url: "%s", region: eu-west, max-classification: confidential}
                  - {name: us, url: "%s", region: us-east, max-classification: confidential}
                models:
                  - {alias: chat, backend: eu, model: stand-in-7b}
                  - {alias: us-chat, backend: us, model: stand-in-7b}
                """.formatted(policy, watch, upstream.baseUrl(), upstream.baseUrl());
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    static String defaultPolicy() {
        try (InputStream in = PolicyApiTest.class.getResourceAsStream("/policy/default.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String digest(String text) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) throws Exception { return JSON.readTree(r.body()); }

    /** Replaces the file the way editors and ConfigMaps do: write aside, then rename over. */
    static void replace(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(".policy.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Puts the capped policy in force (whatever an earlier test left). */
    static void capped() throws Exception {
        replace(file, CAPPED);
        HttpResponse<String> r = gw.send("POST", "/bastion/v1/policy/reload", gw.adminKey, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void readingThePolicyShowsItsSourceDigestVersionAndRules() throws Exception {
        capped();
        JsonNode p = json(gw.send("GET", "/bastion/v1/policy", gw.adminKey, null));
        assertThat(p.path("source").asText()).isEqualTo(file.toString());
        assertThat(p.path("digest").asText()).isEqualTo(digest(CAPPED));
        assertThat(p.path("version").asInt()).isEqualTo(1);
        assertThat(p.path("rule_ids").toString()).contains("\"admin-operate\"").contains("\"eu-only-capped\"");
    }

    @Test
    void obligationsAreEnforcedOnModelRequests() throws Exception {
        capped();
        assertThat(gw.chat(developer, CHAT.replace("]}", "],\"max_tokens\":1000}")).statusCode()).isEqualTo(200);
        assertThat(upstream.lastBody().path("max_tokens").asInt()).as("lowered to the cap").isEqualTo(64);
        assertThat(gw.chat(developer, CHAT).statusCode()).isEqualTo(200);
        assertThat(upstream.lastBody().path("max_tokens").asInt()).as("added when absent").isEqualTo(64);

        int before = upstream.requestCount();
        HttpResponse<String> us = gw.chat(developer, CHAT.replace("\"chat\"", "\"us-chat\""));
        assertThat(us.statusCode()).isEqualTo(403);
        assertThat(TestGateway.errorCode(us)).isEqualTo("region_not_allowed");
        assertThat(upstream.requestCount()).as("nothing left the region").isEqualTo(before);
        assertThat(json(gw.send("GET", "/v1/models", developer, null)).path("data").toString())
                .contains("\"chat\"").doesNotContain("us-chat");

        // the caller's address reaches conditions: this test calls from loopback
        HttpResponse<String> embed = gw.send("POST", "/v1/embeddings", developer, "{\"model\":\"chat\",\"input\":\"x\"}");
        assertThat(embed.statusCode()).isEqualTo(403);
        assertThat(json(embed).path("error").path("rule_ids").asText()).isEqualTo("no-embeddings-from-this-host");
    }

    @Test
    void anInvalidFileIsRefusedWithFileLineErrorsAndTheOldPolicyKeepsDeciding() throws Exception {
        capped();
        String auditor = gw.auditorKey(); // minted while the policy file still compiles (the CLI reads it)
        replace(file, BROKEN);
        HttpResponse<String> r = gw.send("POST", "/bastion/v1/policy/reload", gw.adminKey, null);
        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode error = json(r).path("error");
        assertThat(error.path("code").asText()).isEqualTo("policy_invalid");
        assertThat(error.path("digest").asText()).isEqualTo(digest(CAPPED));
        int brokenLine = (int) BROKEN.lines().takeWhile(l -> !l.contains("model.delete")).count() + 1;
        assertThat(error.path("errors").toString()).contains(file + ":" + brokenLine + ":")
                .contains("unknown action 'model.delete'");
        assertThat(error.path("errors").size()).as("every error at once").isGreaterThanOrEqualTo(2);

        JsonNode p = json(gw.send("GET", "/bastion/v1/policy", auditor, null));
        assertThat(p.path("digest").asText()).isEqualTo(digest(CAPPED));
        assertThat(p.path("last_reload").path("status").asText()).isEqualTo("rejected");
        assertThat(gw.chat(developer, CHAT).statusCode()).isEqualTo(200);
        assertThat(upstream.lastBody().path("max_tokens").asInt()).as("the old policy still caps").isEqualTo(64);
    }

    @Test
    void aValidChangeAppliesToTheNextRequestAndEveryReloadIsAuditedWithItsDigest() throws Exception {
        capped();
        replace(file, BROKEN);
        assertThat(gw.send("POST", "/bastion/v1/policy/reload", gw.adminKey, null).statusCode()).isEqualTo(422);
        replace(file, DEFAULT);
        HttpResponse<String> applied = gw.send("POST", "/bastion/v1/policy/reload", gw.adminKey, null);
        assertThat(applied.statusCode()).isEqualTo(200);
        assertThat(json(applied).path("status").asText()).isEqualTo("applied");
        assertThat(json(applied).path("previous_digest").asText()).isEqualTo(digest(CAPPED));
        assertThat(json(applied).path("digest").asText()).isEqualTo(digest(DEFAULT));
        assertThat(json(gw.send("POST", "/bastion/v1/policy/reload", gw.adminKey, null)).path("status").asText())
                .isEqualTo("unchanged");

        assertThat(gw.chat(developer, CHAT).statusCode()).isEqualTo(200);
        assertThat(upstream.lastBody().has("max_tokens")).as("no cap any more").isFalse();
        assertThat(gw.chat(developer, CHAT.replace("\"chat\"", "\"us-chat\"")).statusCode()).isEqualTo(200);

        List<JsonNode> updates = new ArrayList<>();
        await().atMost(15, TimeUnit.SECONDS).until(() -> {
            updates.clear();
            for (JsonNode e : readAll()) if (e.path("action").asText().equals("policy.update")) updates.add(e);
            return updates.stream().anyMatch(e -> e.path("outcome").asText().equals("succeeded")
                    && e.path("policy_digest").asText().equals(digest(DEFAULT)));
        });
        assertThat(updates).anyMatch(e -> e.path("outcome").asText().equals("rejected")
                && e.path("policy_digest").asText().equals(digest(CAPPED)));
        assertThat(updates).anyMatch(e -> e.path("outcome").asText().equals("requested"));
        assertThat(updates).allMatch(e -> e.path("target").asText().equals("policy:default")
                && e.path("principal").path("roles").toString().contains("admin"));
    }

    @Test
    void simulateExplainsAndRefusesMalformedQuestions() throws Exception {
        capped();
        HttpResponse<String> r = gw.send("POST", "/bastion/v1/policy/simulate", gw.adminKey, """
                {"principal": {"roles": ["developer"]}, "action": "model.invoke",
                 "resource": {"kind": "model", "name": "chat", "region": "us-east", "max_classification": "confidential"},
                 "request": {"classification": "confidential", "purpose": "support"}}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode x = json(r);
        assertThat(x.path("allowed").asBoolean()).isTrue();
        assertThat(x.path("rule_ids").toString()).contains("confidential-with-purpose");
        assertThat(x.path("obligations").path("regions").toString()).isEqualTo("[\"eu-west\"]");
        assertThat(x.path("obligations").path("max_tokens").asInt()).isEqualTo(64);
        assertThat(x.path("policy_digest").asText()).isEqualTo(digest(CAPPED));
        assertThat(x.path("steps").toString()).contains("\"rule\":\"eu-only-capped\"").contains("\"line\":");

        HttpResponse<String> unknown = gw.send("POST", "/bastion/v1/policy/simulate", gw.adminKey,
                "{\"principal\":{\"roles\":[\"developer\"],\"clearance\":\"secret\"},\"action\":\"model.invoke\",\"resource\":\"model:chat\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(TestGateway.errorCode(unknown)).isEqualTo("invalid_field");
        assertThat(unknown.body()).doesNotContain("secret");
        HttpResponse<String> action = gw.send("POST", "/bastion/v1/policy/simulate", gw.adminKey,
                "{\"principal\":{},\"action\":\"Model.Invoke\",\"resource\":\"model:chat\"}");
        assertThat(TestGateway.errorCode(action)).isEqualTo("invalid_field");
        assertThat(TestGateway.errorCode(gw.send("POST", "/bastion/v1/policy/simulate", gw.adminKey, "[1,2"))).isEqualTo("invalid_json");
    }

    @Test
    void aWatchedFileIsFollowedAndTheChangesAreAuditedAsTheSystems() throws Exception {
        Path watched = Files.createTempDirectory("bastion-policy-watch").resolve("policy.yaml");
        Files.writeString(watched, DEFAULT);
        try (TestGateway w = TestGateway.startYaml(yaml(watched, true))) {
            replace(watched, CAPPED);
            await().atMost(20, TimeUnit.SECONDS).until(() -> json(w.send("GET", "/bastion/v1/policy", w.adminKey, null))
                    .path("digest").asText().equals(digest(CAPPED)));
            replace(watched, BROKEN);
            await().atMost(20, TimeUnit.SECONDS).until(() -> json(w.send("GET", "/bastion/v1/policy", w.adminKey, null))
                    .path("last_reload").path("status").asText().equals("rejected"));
            assertThat(json(w.send("GET", "/bastion/v1/policy", w.adminKey, null)).path("digest").asText())
                    .isEqualTo(digest(CAPPED));
            await().atMost(15, TimeUnit.SECONDS).until(() -> readAll(w).stream().anyMatch(e ->
                    e.path("principal").path("id").asText().equals("system:policy-file-watch")
                            && e.path("outcome").asText().equals("rejected")));
            assertThat(readAll(w)).anyMatch(e -> e.path("principal").path("id").asText().equals("system:policy-file-watch")
                    && e.path("outcome").asText().equals("succeeded") && e.path("policy_digest").asText().equals(digest(CAPPED)));
        }
    }

    static List<JsonNode> readAll() throws Exception { return AuditLogEntries.of(gw); }

    static List<JsonNode> readAll(TestGateway g) throws Exception { return AuditLogEntries.of(g); }

}
