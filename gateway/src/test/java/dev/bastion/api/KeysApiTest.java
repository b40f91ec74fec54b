package dev.bastion.api;

import dev.bastion.cli.Main;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Key management over HTTP and the CLI, and what each kind of bad credential gets from the model API. */
class KeysApiTest {
    static StandInUpstream upstream;
    static TestGateway gateway;
    static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @BeforeAll
    static void start() throws Exception {
        upstream = new StandInUpstream();
        gateway = TestGateway.start(upstream);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void aFirstStartPrintsAnAdminKeyThatOperatesButDoesNotUseModels() throws Exception {
        assertThat(gateway.adminKey).startsWith("bst_");
        assertThat(gateway.send("GET", "/bastion/v1/keys", gateway.adminKey, null).statusCode()).isEqualTo(200);
        // least privilege under the shipped policy: operating Bastion is not using its models
        HttpResponse<String> chat = gateway.chat(gateway.adminKey, CHAT);
        assertThat(chat.statusCode()).isEqualTo(403);
        assertThat(TestGateway.errorCode(chat)).isEqualTo("permission_denied");
    }

    @Test
    void createListShowRevokeOverHttp() throws Exception {
        HttpResponse<String> created = gateway.send("POST", "/bastion/v1/keys", gateway.adminKey,
                "{\"name\":\"app\",\"roles\":[\"developer\"],\"models\":[\"chat\"],\"expires_in_days\":30}");
        assertThat(created.statusCode()).isEqualTo(201);
        var body = TestGateway.json(created.body());
        String key = body.path("key").asText();
        String id = body.path("id").asText();
        assertThat(key).startsWith("bst_" + id + "_");
        assertThat(body.path("expires_at").asText()).isNotEmpty();

        HttpResponse<String> list = gateway.send("GET", "/bastion/v1/keys", gateway.adminKey, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(id).doesNotContain(key.substring(key.lastIndexOf('_') + 1));
        assertThat(gateway.send("GET", "/bastion/v1/keys/" + id, gateway.adminKey, null).body()).contains("\"app\"");

        assertThat(gateway.chat(key, CHAT).statusCode()).isEqualTo(200);
        assertThat(gateway.send("DELETE", "/bastion/v1/keys/" + id, gateway.adminKey, null).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = gateway.chat(key, CHAT);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(TestGateway.errorCode(refused)).isEqualTo("revoked_credentials");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void onlyAdminsManageKeys() throws Exception {
        String developer = gateway.createKey("{\"name\":\"dev\"}");
        HttpResponse<String> r = gateway.send("GET", "/bastion/v1/keys", developer, null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(TestGateway.errorCode(r)).isEqualTo("permission_denied");
        assertThat(gateway.send("POST", "/bastion/v1/keys", developer, "{\"name\":\"escalate\",\"roles\":[\"admin\"]}")
                .statusCode()).isEqualTo(403);
        assertThat(gateway.send("GET", "/bastion/v1/keys", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void badKeyRequestsAreRefusedWithTheFieldNamed() throws Exception {
        for (String body : new String[] {"{}", "{\"name\":\"\"}", "{\"name\":\"x\",\"roles\":\"admin\"}",
                "{\"name\":\"x\",\"roles\":[\"Admin!\"]}", "{\"name\":\"x\",\"expires_at\":\"tomorrow\"}",
                "{\"name\":\"x\",\"expires_at\":\"2001-01-01T00:00:00Z\"}", "{\"name\":\"x\",\"expires_in_days\":-1}",
                "{\"name\":\"x\",\"attributes\":{\"a\":{\"nested\":1}}}", "not json"}) {
            HttpResponse<String> r = gateway.send("POST", "/bastion/v1/keys", gateway.adminKey, body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
        }
        assertThat(gateway.send("GET", "/bastion/v1/keys/nosuchkeyid9", gateway.adminKey, null).statusCode()).isEqualTo(404);
        // an encoded slash is not a key id, nor a canonical path: refused before routing
        assertThat(gateway.send("DELETE", "/bastion/v1/keys/..%2F..%2Fetc", gateway.adminKey, null).statusCode()).isEqualTo(400);
    }

    @Test
    void aMisspeltFieldIsRefusedRatherThanIgnoredAndCreatesNoKey() throws Exception {
        int before = gateway.send("GET", "/bastion/v1/keys", gateway.adminKey, null).body().split("\"object\":\"api_key\"").length;
        // "model" for "models": ignoring it would create a key for every model
        HttpResponse<String> r = gateway.send("POST", "/bastion/v1/keys", gateway.adminKey,
                "{\"name\":\"typo\",\"model\":[\"chat\"]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestGateway.errorCode(r)).isEqualTo("invalid_field");
        assertThat(r.body()).contains("unknown field 'model'").contains("models");
        HttpResponse<String> hostile = gateway.send("POST", "/bastion/v1/keys", gateway.adminKey,
                "{\"name\":\"typo\",\"<script>\\u0000\":1}");
        assertThat(hostile.statusCode()).isEqualTo(400);
        assertThat(hostile.body()).contains("unknown field (not shown)").doesNotContain("script");
        int after = gateway.send("GET", "/bastion/v1/keys", gateway.adminKey, null).body().split("\"object\":\"api_key\"").length;
        assertThat(after).isEqualTo(before);
    }

    @Test
    void missingAndMalformedCredentialsGet401InTheOpenAiShape() throws Exception {
        HttpResponse<String> none = gateway.chat(null, CHAT);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(TestGateway.errorCode(none)).isEqualTo("missing_credentials");
        for (String key : new String[] {"nonsense", "bst_", "bst_aaaaaaaaaaaa_short"}) {
            HttpResponse<String> r = gateway.chat(key, CHAT);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(TestGateway.errorCode(r)).isEqualTo("invalid_api_key");
        }
        assertThat(upstream.bodies()).noneMatch(b -> new String(b).contains("nonsense"));
    }

    @Test
    void twoAuthorizationHeadersAreAmbiguousAndRefused() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.openAiBase() + "/chat/completions"))
                .header("Authorization", "Bearer sk-something-else").header("Authorization", "Bearer " + gateway.developerKey())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(CHAT)).build();
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestGateway.errorCode(r)).isEqualTo("invalid_header");
    }

    @Test
    void theCliManagesKeysInTheSameStoreAndRevocationReachesTheRunningServer() throws Exception {
        String config = "--config=" + gateway.dataDir.resolve("bastion.yaml");
        StringWriter out = new StringWriter();
        int rc = Main.commandLine().setOut(new PrintWriter(out)).execute("keys", "create", config, "--name", "cli-made",
                "--model", "chat");
        assertThat(rc).isZero();
        String key = out.toString().lines().filter(l -> l.startsWith("key:")).findFirst().orElseThrow().substring(4).trim();
        String id = out.toString().lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().substring(3).trim();
        assertThat(gateway.chat(key, CHAT).statusCode()).isEqualTo(200);
        // made offline while the server runs, and still in the server's audit log, by the local operator
        await().atMost(10, TimeUnit.SECONDS).until(() -> dev.bastion.testing.AuditLogEntries.of(gateway).stream()
                .anyMatch(e -> e.path("action").asText().equals("key.create")
                        && e.path("target").asText().equals("key:" + id)
                        && e.path("principal").path("id").asText().startsWith("local:")));

        StringWriter listed = new StringWriter();
        assertThat(Main.commandLine().setOut(new PrintWriter(listed)).execute("keys", "list", config)).isZero();
        assertThat(listed.toString()).contains(id).contains("cli-made").doesNotContain(key);

        assertThat(Main.commandLine().setOut(new PrintWriter(new StringWriter())).execute("keys", "revoke", config, id)).isZero();
        // another process revoked it: the running server's cache lets it lapse within seconds
        await().atMost(10, TimeUnit.SECONDS).until(() -> gateway.chat(key, CHAT).statusCode() == 401);
        assertThat(Main.commandLine().setErr(new PrintWriter(new StringWriter())).execute("keys", "revoke", config,
                "nosuchkeyid9")).isEqualTo(2);
    }
}
