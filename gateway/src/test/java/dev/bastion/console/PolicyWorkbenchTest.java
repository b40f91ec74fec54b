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
 * force and run through the policy's test cases — and none of it changes the policy in force.
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
}
