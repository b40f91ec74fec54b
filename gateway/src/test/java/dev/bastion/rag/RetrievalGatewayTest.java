package dev.bastion.rag;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.policy.Policy;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retrieval through the whole server: collections and documents over the API, chat requests that name collections,
 * the context the backend receives, citations in the answer, the audit log. Two backends: one approved for
 * {@code internal} data, one for {@code restricted}.
 */
class RetrievalGatewayTest {
    static StandInUpstream internal;
    static StandInUpstream secure;
    static TestGateway gw;
    static String developer;
    static String finance;
    static String board;

    @BeforeAll
    static void start() throws Exception {
        internal = new StandInUpstream();
        secure = new StandInUpstream();
        Path policy = Files.createTempFile("policy", ".yaml");
        // the shipped policy plus one rule: the board may send restricted data to a model
        String shipped = new String(Policy.class.getResourceAsStream(Policy.DEFAULT_RESOURCE).readAllBytes(),
                StandardCharsets.UTF_8);
        // and two more roles the admin may grant: finance (a collection's rule names it) and board
        Files.writeString(policy, shipped.replace("\nroles: [", "\nroles: [finance, board, ").replace("rules:\n", """
                rules:
                  - id: board-restricted
                    effect: permit
                    roles: [board]
                    actions: [model.invoke, documents.retrieve]
                  - id: documents-without-ids
                    description: no document keeps a phone number; none with a social security number is stored
                    effect: obligate
                    roles: ["*"]
                    actions: [documents.manage]
                    obligations:
                      mask: [PHONE_NUMBER]
                      block: [US_SSN]
                  - id: admin-grant-business-roles
                    effect: permit
                    roles: [admin]
                    actions: [keys.grant]
                    resources: ["role:finance", "role:board"]
                """));
        gw = TestGateway.startYaml("""
                server:
                  port: 0
                  read-timeout: 5s
                policy:
                  file: %s
                backends:
                  - name: internal-llm
                    type: openai
                    url: %s
                    max-classification: internal
                  - name: secure-llm
                    type: openai
                    url: %s
                    max-classification: restricted
                models:
                  - alias: internal-chat
                    backend: internal-llm
                    model: echo
                  - alias: chat
                    backends:
                      - {backend: internal-llm, model: echo, priority: 0}
                      - {backend: secure-llm, model: echo, priority: 1}
                rag:
                  embeddings-alias: minilm
                """.formatted(policy, internal.baseUrl(), secure.baseUrl()));
        developer = gw.createKey("{\"name\":\"dev\",\"roles\":[\"developer\"]}");
        finance = gw.createKey("{\"name\":\"fin\",\"roles\":[\"developer\",\"finance\"]}");
        board = gw.createKey("{\"name\":\"board\",\"roles\":[\"developer\",\"board\"]}");

        ok(gw.send("POST", "/bastion/v1/collections", gw.adminKey, """
                {"name":"finance","classification":"internal","access":{"roles":["finance"]},"personal_data":"store"}"""));
        ok(gw.send("POST", "/bastion/v1/collections", gw.adminKey, """
                {"name":"handbook","classification":"internal","personal_data":"pseudonymise"}"""));
        ok(gw.send("POST", "/bastion/v1/collections", gw.adminKey, """
                {"name":"board","classification":"internal"}"""));
        ok(add("finance", "budget.txt", "Falcon budget 2027: the board approved 4.2 million euros for Falcon.", null));
        ok(add("handbook", "expenses.md", "# Expenses\n\nFalcon project staff file expenses in the travel tool "
                + "within 30 days; questions go to Jane Doe at jane.doe@example.com.", null));
        ok(add("board", "osprey.txt", "Project Osprey: the acquisition price agreed in the board is 90 million.",
                "restricted"));
        ok(add("board", "osprey-faq.txt", "Project Osprey FAQ: Osprey staff move to the Lyon office.", null));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) gw.close();
        internal.close();
        secure.close();
    }

    @Test
    void aDevelopersQuestionGetsNothingFromTheFinanceCollectionAndTheBackendSeesNoneOfIt() throws Exception {
        var r = gw.chat(developer, chat("internal-chat", "What budget did the board approve for Falcon in 2027?",
                "\"bastion\":{\"collections\":[\"finance\",\"handbook\"],\"top_k\":3}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode retrieval = TestGateway.json(r.body()).path("bastion").path("retrieval");
        assertThat(retrieval.path("citations")).isNotEmpty()
                .allSatisfy(c -> assertThat(c.path("collection").asText()).isEqualTo("handbook"));
        assertThat(retrieval.path("unavailable")).extracting(JsonNode::asText).containsExactly("finance");
        String sent = internal.lastBody().toString();
        assertThat(sent).doesNotContain("4.2 million").contains("travel tool").doesNotContain("\"bastion\"");

        var fin = gw.chat(finance, chat("internal-chat", "What budget did the board approve for Falcon in 2027?",
                "\"tools\":[{\"type\":\"file_search\",\"file_search\":{\"collections\":[\"finance\"]}}]"));
        assertThat(fin.statusCode()).as(fin.body()).isEqualTo(200);
        assertThat(internal.lastBody().toString()).contains("4.2 million").doesNotContain("file_search");
        assertThat(TestGateway.json(fin.body()).path("bastion").path("retrieval").path("citations").get(0)
                .path("source").asText()).isEqualTo("budget.txt");
    }

    @Test
    void retrievedTextIsMarkedUntrustedAndItsPersonalDataStaysPseudonymised() throws Exception {
        var r = gw.chat(developer, chat("internal-chat", "How do I file Falcon travel expenses?",
                "\"bastion\":{\"collections\":[\"handbook\"]}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode sent = internal.lastBody();
        String system = sent.path("messages").get(0).path("content").asText();
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(system).contains("«data-").contains("travel tool") // spotlighted as data by inspection
                .doesNotContain("jane.doe@example.com").contains("{{EMAIL_ADDRESS_1:");
    }

    @Test
    void aRestrictedDocumentNeverReachesAnInternalBackend() throws Exception {
        String ask = "What acquisition price did the board agree for Project Osprey?";
        // an alias served only by the internal backend: the restricted document is never a candidate
        var r = gw.chat(board, chat("internal-chat", ask, "\"bastion\":{\"collections\":[\"board\"]}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(internal.lastBody().toString()).doesNotContain("90 million").contains("Lyon office");

        // an alias with a restricted-capable fallback: the document is retrieved and the request is raised to
        // restricted, so the internal backend is out; the shipped policy also wants restricted data to go only to an
        // attested backend (restricted-needs-attestation), which this stand-in is not: refused, sent nowhere
        int before = internal.requestCount();
        int secureBefore = secure.requestCount();
        var s = gw.chat(board, chat("chat", ask, "\"bastion\":{\"collections\":[\"board\"]}"));
        assertThat(s.statusCode()).as(s.body()).isEqualTo(403);
        assertThat(s.body()).contains("restricted-needs-attestation").doesNotContain("90 million");
        assertThat(internal.requestCount()).isEqualTo(before);
        assertThat(secure.requestCount()).isEqualTo(secureBefore);

        // a developer may not send restricted data to any model: retrieval raises the request, policy refuses it
        before = internal.requestCount();
        var d = gw.chat(developer, chat("chat", ask, "\"bastion\":{\"collections\":[\"board\"]}"));
        assertThat(d.statusCode()).as(d.body()).isEqualTo(403);
        assertThat(internal.requestCount()).isEqualTo(before);
    }

    @Test
    void everyRetrievalIsInTheAuditLogWithDigestsOnly() throws Exception {
        var r = gw.chat(finance, chat("internal-chat", "Falcon budget", "\"bastion\":{\"collections\":[\"finance\"]}"));
        assertThat(r.statusCode()).isEqualTo(200);
        String digest = TestGateway.json(r.body()).path("bastion").path("retrieval").path("citations").get(0)
                .path("digest").asText();
        List<JsonNode> entries = AuditLogEntries.of(gw).stream()
                .filter(e -> e.path("kind").asText().equals("bastion.audit.retrieval/v1")).toList();
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.path("documents")).extracting(JsonNode::asText).containsExactly(digest);
            assertThat(e.path("model").asText()).isEqualTo("internal-chat");
            assertThat(e.path("max_classification").asText()).isEqualTo("internal");
        });
        assertThat(entries.toString()).doesNotContain("Falcon", "4.2 million", "budget.txt");
    }

    @Test
    void theRetrievalApiAndTheDocumentApiAnswerUnderTheirOwnPermissions() throws Exception {
        var found = gw.send("POST", "/bastion/v1/retrieve", finance,
                "{\"query\":\"Falcon budget\",\"collections\":[\"finance\"],\"top_k\":2}");
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        assertThat(TestGateway.json(found.body()).path("passages").get(0).path("text").asText()).contains("4.2 million");
        // operators are not readers
        assertThat(gw.send("POST", "/bastion/v1/retrieve", gw.adminKey,
                "{\"query\":\"Falcon budget\",\"collections\":[\"finance\"]}").statusCode()).isEqualTo(403);
        // listing shows metadata and counts, never text
        var docs = gw.send("GET", "/bastion/v1/collections/handbook/documents", gw.adminKey, null);
        assertThat(docs.statusCode()).isEqualTo(200);
        JsonNode d = TestGateway.json(docs.body()).path("documents").get(0);
        assertThat(d.path("findings").path("EMAIL_ADDRESS").asInt()).isEqualTo(1);
        assertThat(d.path("personal_data").asText()).isEqualTo("pseudonymised");
        assertThat(docs.body()).doesNotContain("travel tool", "jane.doe");
        assertThat(gw.send("GET", "/bastion/v1/collections", developer, null).statusCode()).isEqualTo(403);
        assertThat(TestGateway.errorCode(gw.send("GET", "/bastion/v1/collections/nope", gw.adminKey, null)))
                .isEqualTo("collection_not_found");
    }

    @Test
    void thePolicysObligationsOnDocumentsApplyOnTopOfTheCollectionsHandling() throws Exception {
        // treasury stores personal data as written, but the policy masks phone numbers in every document
        ok(gw.send("POST", "/bastion/v1/collections", gw.adminKey, """
                {"name":"treasury","classification":"internal","access":{"roles":["finance"]},"personal_data":"store"}"""));
        var added = add("treasury", "contacts.txt", "Falcon treasury desk: call +1 415 555 0134 for wire approvals.", null);
        ok(added);
        JsonNode doc = TestGateway.json(added.body());
        assertThat(doc.path("findings").path("PHONE_NUMBER").asInt()).isEqualTo(1);
        assertThat(doc.path("personal_data").asText()).isEqualTo("masked");
        var found = gw.send("POST", "/bastion/v1/retrieve", finance,
                "{\"query\":\"Falcon treasury desk wire approvals\",\"collections\":[\"treasury\"],\"top_k\":1}");
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        assertThat(TestGateway.json(found.body()).path("passages").get(0).path("text").asText())
                .contains("[PHONE_NUMBER]", "wire approvals").doesNotContain("555 0134");
        // and it blocks a social security number: nothing of that document is stored
        var refused = add("treasury", "payroll.txt", "Payroll fix for Falcon staff member, SSN 536-22-8704.", null);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(TestGateway.errorCode(refused)).isEqualTo("document_refused");
        assertThat(refused.body()).contains("US_SSN").doesNotContain("536-22-8704");
        assertThat(gw.send("GET", "/bastion/v1/collections/treasury/documents", gw.adminKey, null).body())
                .doesNotContain("payroll.txt");
    }

    @Test
    void deletingADocumentOverTheApiTakesItOutOfAnswers() throws Exception {
        ok(gw.send("POST", "/bastion/v1/collections", gw.adminKey, "{\"name\":\"temp\",\"classification\":\"internal\"}"));
        var added = add("temp", "heron.txt", "Heron rota: the night shift at the Heron plant starts at 22:00.", null);
        ok(added);
        String id = TestGateway.json(added.body()).path("id").asText();
        String ask = "When does the Heron night shift start?";
        gw.chat(developer, chat("internal-chat", ask, "\"bastion\":{\"collections\":[\"temp\"]}"));
        assertThat(internal.lastBody().toString()).contains("22:00");
        ok(gw.send("DELETE", "/bastion/v1/collections/temp/documents/" + id, gw.adminKey, null));
        var r = gw.chat(developer, chat("internal-chat", ask, "\"bastion\":{\"collections\":[\"temp\"]}"));
        assertThat(TestGateway.json(r.body()).path("bastion").path("retrieval").path("citations")).isEmpty();
        assertThat(internal.lastBody().toString()).doesNotContain("22:00");
        assertThat(TestGateway.errorCode(gw.send("GET", "/bastion/v1/collections/temp/documents/" + id,
                gw.adminKey, null))).isEqualTo("document_not_found");
    }

    @Test
    void theBuiltInEncoderServesEmbeddingsUnderItsAlias() throws Exception {
        int upstreamCalls = counted();
        var r = gw.send("POST", "/v1/embeddings", developer, "{\"model\":\"minilm\",\"input\":[\"a cat\",\"a dog\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode data = TestGateway.json(r.body()).path("data");
        assertThat(data).hasSize(2);
        assertThat(data.get(0).path("embedding")).hasSize(384);
        assertThat(counted()).as("answered in process").isEqualTo(upstreamCalls);
        // unit vectors: the two texts' similarity is a dot product below 1
        double dot = 0;
        for (int i = 0; i < 384; i++) dot += data.get(0).path("embedding").get(i).asDouble() * data.get(1).path("embedding").get(i).asDouble();
        assertThat(dot).isBetween(0.2, 0.99);
    }

    @Test
    void erasingASubjectThroughThePrivacyApiRemovesTheDocumentsThatConcernThem() throws Exception {
        String body = "{\"source\":\"review-4471.txt\",\"content_base64\":\""
                + Base64.getEncoder().encodeToString("Heron project review for employee 4471: on track."
                        .getBytes(StandardCharsets.UTF_8)) + "\",\"subjects\":[\"employee-4471\"]}";
        ok(gw.send("POST", "/bastion/v1/collections/board/documents", gw.adminKey, body));
        assertThat(gw.send("GET", "/bastion/v1/collections/board/documents", gw.adminKey, null).body())
                .contains("review-4471.txt");

        var erased = gw.send("POST", "/bastion/v1/subjects/erase", gw.operatorKey("dpo", "privacy-officer"),
                "{\"subject\":\"employee-4471\"}", java.util.Map.of("X-Bastion-Purpose", "data-subject-request"));
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
        JsonNode proof = TestGateway.json(erased.body());
        assertThat(proof.path("counts").path("rag_documents").asLong()).isEqualTo(1);
        assertThat(proof.path("outcome").asText()).isEqualTo("erased");
        assertThat(gw.send("GET", "/bastion/v1/collections/board/documents", gw.adminKey, null).body())
                .doesNotContain("review-4471.txt");
    }

    private static int counted() { return internal.requestCount() + secure.requestCount(); }

    static java.net.http.HttpResponse<String> add(String collection, String source, String text, String classification)
            throws Exception {
        String body = "{\"source\":\"" + source + "\",\"content_base64\":\""
                + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\""
                + (classification == null ? "" : ",\"classification\":\"" + classification + "\"") + "}";
        return gw.send("POST", "/bastion/v1/collections/" + collection + "/documents", gw.adminKey, body);
    }

    static String chat(String model, String question, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}],"
                + extra + "}";
    }

    static void ok(java.net.http.HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    }
}
