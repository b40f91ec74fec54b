package dev.bastion.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy workbench's API: a candidate text is compiled (errors at line and column), diffed against the policy in
 * force and run through the policy's test cases — and none of it changes the policy in force. Its history and text
 * in force are the policy store's versions (the same on every replica).
 */
class PolicyWorkbenchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static StandInUpstream upstream;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        upstream = new StandInUpstream();
        gw = TestGateway.start(upstream);
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
        if (upstream != null) upstream.close();
    }

    private static JsonNode check(String key, String policy) throws Exception {
        var r = gw.send("POST", "/bastion/v1/policy/check", key, JSON.writeValueAsString(Map.of("policy", policy)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r.body());
    }

    @Test
    void theShippedPolicyPassesItsOwnCasesAndDiffersFromItselfInNothing() throws Exception {
        var source = TestGateway.json(gw.send("GET", "/bastion/v1/policy/source", gw.adminKey, null).body());
        String text = source.path("text").asText();
        assertThat(text).contains("rules:");
        JsonNode x = check(gw.adminKey, text);
        assertThat(x.path("errors")).isEmpty();
        assertThat(x.path("cases").path("failed").asInt()).as(x.path("cases").toString()).isZero();
        assertThat(x.path("cases").path("passed").asInt()).isPositive();
        assertThat(x.path("ok").asBoolean()).isTrue();
        assertThat(x.path("diff")).allSatisfy(d -> assertThat(d.path("op").asText()).isEqualTo(" "));
    }

    @Test
    void aBrokenPolicyIsReportedAtItsLineAndColumnAndThePolicyInForceStays() throws Exception {
        String before = TestGateway.json(gw.send("GET", "/bastion/v1/policy", gw.adminKey, null).body()).path("digest").asText();
        JsonNode x = check(gw.adminKey, "version: 1\nrules:\n  - id: broken\n    effect: perhaps\n    roles: [admin]\n    actions: [keys.manage]\n");
        assertThat(x.path("ok").asBoolean()).isFalse();
        assertThat(x.path("errors").get(0).path("line").asInt()).isEqualTo(4);
        assertThat(x.path("errors").get(0).path("column").asInt()).isPositive();
        assertThat(x.path("diff").toString()).contains("\"op\":\"-\"");
        assertThat(TestGateway.json(gw.send("GET", "/bastion/v1/policy", gw.adminKey, null).body()).path("digest").asText())
                .isEqualTo(before);
    }

    @Test
    void aChangedRuleThatBreaksACaseFailsTheTestStep() throws Exception {
        String text = TestGateway.json(gw.send("GET", "/bastion/v1/policy/source", gw.adminKey, null).body()).path("text").asText();
        JsonNode x = check(gw.adminKey, text.replace("roles: [admin]\n    actions: [keys.manage,", "roles: [monitor]\n    actions: [keys.manage,"));
        assertThat(x.path("errors")).isEmpty();
        assertThat(x.path("cases").path("failed").asInt()).isPositive();
        assertThat(x.path("ok").asBoolean()).isFalse();
    }

    @Test
    void aDeveloperMayNotCheckOrReadPolicies() throws Exception {
        String dev = gw.developerKey();
        assertThat(gw.send("POST", "/bastion/v1/policy/check", dev, "{\"policy\":\"version: 1\"}").statusCode()).isEqualTo(403);
        assertThat(gw.send("GET", "/bastion/v1/policy/source", dev, null).statusCode()).isEqualTo(403);
    }

    @Test
    void theHistoryListsTheStoredVersionsWithAuthorAndTheSourceIsTheRunningVersionsText() throws Exception {
        String text = TestGateway.json(gw.send("GET", "/bastion/v1/policy/source", gw.adminKey, null).body()).path("text").asText();
        String edited = text + "\n# edited by the workbench test\n";
        var put = gw.send("PUT", "/bastion/v1/policy", gw.adminKey,
                JSON.writeValueAsString(Map.of("text", edited, "comment", "workbench")));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        JsonNode source = TestGateway.json(gw.send("GET", "/bastion/v1/policy/source", gw.adminKey, null).body());
        assertThat(source.path("text").asText()).isEqualTo(edited);
        JsonNode history = TestGateway.json(gw.send("GET", "/bastion/v1/policy/history", gw.adminKey, null).body()).path("history");
        JsonNode newest = history.get(0);
        assertThat(newest.path("version").asLong()).isEqualTo(source.path("version").asLong()).isGreaterThan(1);
        assertThat(newest.path("status").asText()).isEqualTo("edit");
        assertThat(newest.path("author").asText()).isNotBlank();
        assertThat(newest.path("running").asBoolean()).isTrue();
        assertThat(history.get(history.size() - 1).path("status").asText()).isEqualTo("seed");
    }
}
