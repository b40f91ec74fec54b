package dev.bastion.governance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.audit.LogSource;
import dev.bastion.audit.LogVerifier;
import dev.bastion.audit.VerificationResult;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.bastion.testing.TestGateway.errorCode;
import static dev.bastion.testing.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registry gates routing end to end, on a real gateway with the registry enforced: nothing unregistered or
 * unapproved answers; the submitter cannot approve; high risk needs two different approvers; a failed evaluation
 * gate blocks approval until an approver records an override; revocation stops serving at once; and every step is in
 * an audit log that verifies.
 */
class RegistryGatesRoutingTest {
    static StandInUpstream upstream;
    static TestGateway gw;
    static Stewards people;
    static Path passing;

    @BeforeAll
    static void start() throws Exception {
        upstream = new StandInUpstream();
        gw = TestGateway.start(upstream, "governance: {}\n");
        people = new Stewards(gw, upstream);
        passing = people.suite("support.jsonl", """
                {"suite":{"name":"support-basics","gate":{"min_accuracy":0.5}}}
                {"id":"greets","prompt":"Say hello to a customer.","expected":"hello","match":"contains"}
                {"id":"names-itself","prompt":"What are you?","expected":"stand-in model","match":"contains"}
                {"id":"pattern","prompt":"Introduce yourself.","expected":"^Hello from .+\\\\.$","match":"regex"}
                {"id":"sum","prompt":"What is 40 + 2?","expected":"42","match":"numeric"}
                """);
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
        if (upstream != null) upstream.close();
    }

    @Test
    void anUnregisteredOrUnapprovedRemoteModelIsRefused() throws Exception {
        var r = people.chat(people.developer, "busy");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(errorCode(r)).isEqualTo("model_not_approved");
        assertThat(json(r.body()).path("error").path("message").asText()).contains("unregistered");

        String id = people.registerRemote(people.a, "busy-1", "standin", "fail-429");
        r = people.chat(people.developer, "busy");
        assertThat(errorCode(r)).isEqualTo("model_not_approved");
        assertThat(json(r.body()).path("error").path("message").asText()).contains("draft");
        // the OpenAI model list shows only what would be served
        assertThat(gw.send("GET", "/v1/models", people.developer, null).body()).doesNotContain("\"busy\"");
        assertThat(gw.send("GET", "/v1/models/busy", people.developer, null).statusCode()).isEqualTo(404);
        assertThat(people.state(id)).isEqualTo("draft");
    }

    @Test
    void theSubmitterCannotApproveAndAnotherStewardCan() throws Exception {
        String id = people.registerRemote(people.a, "stand-in-7b", "standin", "stand-in-7b");
        assertThat(errorCode(people.approve(people.b, id))).as("no evaluation yet").isEqualTo("approval_precondition_failed");
        var incomplete = people.approve(people.b, id);
        assertThat(json(incomplete.body()).path("error").path("message").asText()).contains("evaluation");

        assertThat(people.evaluate(people.a, id, passing)).isEqualTo("evaluated");
        var noCard = people.approve(people.b, id);
        assertThat(errorCode(noCard)).isEqualTo("approval_precondition_failed");
        assertThat(json(noCard.body()).path("error").path("message").asText()).contains("intended_use").contains("risk");

        people.card(people.a, id, "medium");
        var self = people.approve(people.a, id);
        assertThat(self.statusCode()).isEqualTo(403);
        assertThat(errorCode(self)).isEqualTo("approval_not_allowed");
        assertThat(people.chat(people.developer, "chat").statusCode()).isEqualTo(403);
        // the admin operates Bastion but never approves models (separation of duties in the shipped policy)
        assertThat(people.approve(gw.adminKey, id).statusCode()).isEqualTo(403);

        var ok = people.approve(people.b, id);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(ok.body()).path("state").asText()).isEqualTo("approved");
        var answered = people.chat(people.developer, "chat");
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(gw.send("GET", "/v1/models", people.developer, null).body()).contains("\"chat\"");

        JsonNode approvals = json(people.get(people.c, "/bastion/v1/models/" + id + "/approvals").body()).path("data");
        assertThat(approvals).hasSize(1);
        JsonNode card = json(people.get(people.c, "/bastion/v1/models/" + id + "/card").body());
        assertThat(approvals.get(0).path("card_digest").asText()).isEqualTo(card.path("digest").asText());
        assertThat(approvals.get(0).path("artifact_digest").asText()).isEqualTo("rev-1");
        assertThat(approvals.get(0).path("evidence").toString())
                .contains(card.path("document").path("evaluations").get(0).path("summary_digest").asText());

        // revoked: the next request is refused, and the card is frozen
        var revoked = people.post(people.c, "/bastion/v1/models/" + id + "/revoke", "{\"reason\":\"vendor recalled it\"}");
        assertThat(json(revoked.body()).path("state").asText()).isEqualTo("revoked");
        var after = people.chat(people.developer, "chat");
        assertThat(errorCode(after)).isEqualTo("model_not_approved");
        assertThat(gw.send("PUT", "/bastion/v1/models/" + id + "/card", people.a, "{\"risk\":\"low\"}").statusCode())
                .isEqualTo(409);
    }

    @Test
    void highRiskNeedsTwoDistinctApprovers() throws Exception {
        String id = people.registerRemote(people.a, "echo-model", "standin", "echo");
        people.card(people.a, id, "high");
        people.evaluate(people.a, id, people.suite("echo.jsonl", """
                {"id":"repeat","prompt":"Please repeat: approved","expected":"approved","match":"contains"}
                """));
        var first = people.approve(people.b, id);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(json(first.body()).path("state").asText()).isEqualTo("evaluated");
        assertThat(json(first.body()).path("approvals").path("needed").asInt()).isEqualTo(2);
        assertThat(errorCode(people.chat(people.developer, "echo"))).isEqualTo("model_not_approved");
        var again = people.approve(people.b, id);
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(errorCode(again)).isEqualTo("approval_not_allowed");

        var second = people.approve(people.c, id);
        assertThat(json(second.body()).path("state").asText()).isEqualTo("approved");
        assertThat(people.chat(people.developer, "echo").statusCode()).isEqualTo(200);
        var deployed = people.post(people.a, "/bastion/v1/models/" + id + "/deploy", null);
        assertThat(json(deployed.body()).path("state").asText()).isEqualTo("deployed");
        assertThat(people.chat(people.developer, "echo").statusCode()).isEqualTo(200);
    }

    @Test
    void aFailedGateBlocksApprovalUntilAnApproverRecordsAnOverride() throws Exception {
        String id = people.registerRemote(people.a, "same-model", "standin", "same");
        people.card(people.a, id, "low");
        Path failing = people.suite("arith.jsonl", """
                {"suite":{"name":"arithmetic","gate":{"min_accuracy":0.9},"max_tokens":8}}
                {"prompt":"What is 6 x 7?","expected":"42","match":"numeric"}
                {"prompt":"What is 2 + 2?","expected":"4","match":"exact"}
                """);
        var run = people.cli(people.a, "evaluate", id, "--suite", failing.toString(), "--progress", "always");
        assertThat(run.code()).as(run.err()).isEqualTo(3);
        assertThat(run.out()).contains("gate accuracy >= 0.9: FAILED").contains("accuracy");
        assertThat(run.err()).contains("evaluating [");

        var blocked = people.approve(people.b, id);
        assertThat(errorCode(blocked)).isEqualTo("approval_precondition_failed");
        assertThat(json(blocked.body()).path("error").path("message").asText()).contains("arithmetic");
        var cli = people.cli(people.b, "approve", id, "--override-reason", "arithmetic is out of scope for this model");
        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("approved");
        JsonNode approval = json(people.get(people.a, "/bastion/v1/models/" + id + "/approvals").body()).path("data").get(0);
        assertThat(approval.path("override_reason").asText()).isEqualTo("arithmetic is out of scope for this model");
    }

    @Test
    void anEvaluationResumesWhereItStoppedAndOnlyItsStarterMaySendItems() throws Exception {
        String id = people.registerRemote(people.a, "drip-model", "standin", "drip-stream");
        var started = people.post(people.a, "/bastion/v1/models/" + id + "/evaluations",
                "{\"suite\":" + SuiteParser.readFile(passing).source() + "}");
        assertThat(started.statusCode()).isEqualTo(201);
        JsonNode run = json(started.body());
        String header = run.path("id").asText() + ":0";
        String body = "{\"model\":\"drip\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to a customer.\"}]}";
        // another steward, a wrong prompt, and the developer are all refused
        assertThat(send(people.b, body, header).statusCode()).isEqualTo(403);
        assertThat(errorCode(send(people.a, body.replace("customer", "client"), header))).isEqualTo("invalid_field");
        assertThat(send(people.developer, body, header).statusCode()).isEqualTo(403);
        assertThat(send(people.a, body, header).statusCode()).isEqualTo(200);
        await().atMost(10, TimeUnit.SECONDS).until(() -> json(people.get(people.a, "/bastion/v1/models/" + id
                + "/evaluations/" + run.path("id").asText()).body()).path("done").asInt() == 1);

        var resumed = people.cli(people.a, "evaluate", id, "--suite", passing.toString(), "--progress", "never");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming run " + run.path("id").asText()).contains("1 already done");
        assertThat(people.state(id)).isEqualTo("evaluated");
    }

    @Test
    void policySeesTheApprovalStateOfTheRoutedModel() throws Exception {
        // a steward may send items of an evaluation run only: outside one, policy denies the steward model use
        String id = people.registerRemote(people.a, "gated-model", "standin", "gated-stream");
        var r = people.chat(people.a, "gated");
        assertThat(errorCode(r)).as("policy decides first: the approval fact is 'draft', not 'evaluating'")
                .isEqualTo("permission_denied");
        var simulate = gw.send("POST", "/bastion/v1/policy/simulate", gw.adminKey, """
                {"principal":{"roles":["model-steward"]},"action":"model.invoke",
                 "resource":{"kind":"model","name":"gated","backend":"standin","max_classification":"confidential",
                             "approval":"evaluating"}}""");
        assertThat(simulate.body()).contains("steward-evaluate-candidates");
        assertThat(people.state(id)).isEqualTo("draft");
    }

    @Test
    void everyStepIsInTheAuditLogAndTheLogVerifies() throws Exception {
        String id = people.registerRemote(people.a, "rejecting-model", "standin", "fail-422");
        people.card(people.a, id, "low");
        people.evaluate(people.a, id, people.suite("refusals.jsonl", """
                {"prompt":"Anything","expected":"x","match":"contains"}
                """));
        people.cli(people.b, "approve", id, "--override-reason", "the backend refuses everything; fine for this test");
        assertThat(errorCode(people.chat(people.developer, "rejecting"))).isEqualTo("backend_rejected");
        people.post(people.c, "/bastion/v1/models/" + id + "/revoke", "{\"reason\":\"never mind\"}");
        List<JsonNode> entries = new ArrayList<>();
        await().atMost(15, TimeUnit.SECONDS).until(() -> {
            entries.clear();
            entries.addAll(AuditLogEntries.of(gw));
            return entries.stream().anyMatch(e -> e.path("action").asText().equals("model.revoke")
                    && e.path("outcome").asText().equals("succeeded"));
        });
        List<JsonNode> steps = entries.stream().filter(e -> e.path("kind").asText().equals("bastion.audit.model/v1")
                && e.path("entry").asText().equals(id)).toList();
        assertThat(steps).extracting(e -> e.path("action").asText())
                .containsExactly("model.register", "model.card", "model.evaluate", "model.approve", "model.revoke");
        assertThat(steps.get(2).path("to_state").asText()).isEqualTo("evaluated");
        assertThat(steps.get(3).path("to_state").asText()).isEqualTo("approved");
        assertThat(steps.get(3).path("principal").path("id").asText())
                .isNotEqualTo(steps.getFirst().path("principal").path("id").asText());
        assertThat(steps.get(3).path("evidence")).hasSize(2); // the evaluation summary and the override reason
        assertThat(steps.getFirst().path("to_state").asText()).isEqualTo("draft");
        assertThat(steps.getLast().path("from_state").asText()).isEqualTo("approved");
        assertThat(steps.getLast().path("to_state").asText()).isEqualTo("revoked");
        assertThat(steps.getLast().path("evidence").get(0).asText()).startsWith("sha256:");
        for (JsonNode s : steps) {
            assertThat(s.path("principal").path("id").asText()).startsWith("key:");
            assertThat(s.path("card_digest").asText()).startsWith("sha256:");
            assertThat(s.path("artifact_digest").asText()).isEqualTo("rev-1");
            assertThat(s.toString()).doesNotContain("never mind").doesNotContain("fine for this test");
        }
        // the evaluation's request went through the pipeline like real traffic: accepted and audited
        assertThat(entries).anyMatch(e -> e.path("kind").asText().equals("bastion.audit.request/v1")
                && e.path("model").path("alias").asText().equals("rejecting")
                && e.path("model").path("artifact_digest").asText().equals("rev-1"));
        var verified = LogVerifier.forKey(gw.auditVerifierKey()).verify(LogSource.http(
                URI.create(gw.base() + "/bastion/v1/audit/"), gw.auditorKey()));
        assertThat(verified).isInstanceOf(VerificationResult.Verified.class);
    }

    private static java.net.http.HttpResponse<String> send(String key, String body, String evaluation) throws Exception {
        var req = java.net.http.HttpRequest.newBuilder(URI.create(gw.base() + "/v1/chat/completions"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .header("X-Bastion-Evaluation", evaluation).build();
        return java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
