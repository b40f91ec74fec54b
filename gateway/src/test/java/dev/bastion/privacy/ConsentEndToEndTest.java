package dev.bastion.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.audit.LogSource;
import dev.bastion.audit.LogVerifier;
import dev.bastion.audit.VerificationResult;
import dev.bastion.investigate.SearchJson;
import dev.bastion.investigate.SearchQuery;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.bastion.privacy.PrivacyGateways.chat;
import static dev.bastion.privacy.PrivacyGateways.code;
import static dev.bastion.privacy.PrivacyGateways.json;
import static dev.bastion.privacy.PrivacyGateways.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request naming a data subject needs a lawful basis on record for its declared purpose: without one it is
 * refused with 403 consent_missing (naming the purpose, never the subject), with one it goes through, and a
 * withdrawal refuses the very next request. The audit log holds the subject's token, never the id — on the accepted
 * requests and on the refusals, which the investigator search finds by subject — and verifies.
 */
class ConsentEndToEndTest {
    private static final String SUBJECT = "patient-4711";

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void noBasisIsRefusedGrantAdmitsWithdrawalRefusesTheNextRequest(StoreConfig.Kind kind) throws Exception {
        try (var upstream = new StandInUpstream(); var store = TestStores.open(kind);
             TestGateway gw = PrivacyGateways.start(upstream, store, "")) {
            String dev = gw.developerKey();
            String officer = PrivacyGateways.officerKey(gw);

            HttpResponse<String> refused = chat(gw, dev, "support", SUBJECT, "Summarise the ticket");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(code(refused)).isEqualTo("consent_missing");
            assertThat(json(refused).path("error").path("message").asText()).contains("'support'")
                    .doesNotContain(SUBJECT);
            assertThat(refused.body()).doesNotContain(SUBJECT);
            assertThat(upstream.requestCount()).isZero();

            HttpResponse<String> grant = post(gw, "/bastion/v1/consents", officer, null, Map.of("subject", SUBJECT,
                    "purpose", "support", "basis", "consent", "evidence", "receipt-991"));
            assertThat(grant.statusCode()).as(grant.body()).isEqualTo(200);
            assertThat(json(grant).path("propagation").path("confirmed").asBoolean()).isTrue();
            String token = json(grant).path("subject").asText();
            assertThat(token).matches("[0-9a-f]{32}").isNotEqualTo(SUBJECT);

            assertThat(chat(gw, dev, "support", SUBJECT, "Summarise the ticket").statusCode()).isEqualTo(200);
            // a basis for one purpose is no basis for another
            assertThat(code(chat(gw, dev, "analytics", SUBJECT, "Summarise"))).isEqualTo("consent_missing");
            // nor for a request that declares no purpose at all
            assertThat(code(chat(gw, dev, null, SUBJECT, "Summarise"))).isEqualTo("consent_missing");

            assertThat(post(gw, "/bastion/v1/consents", officer, null, Map.of("subject", SUBJECT, "purpose",
                    "support", "state", "withdrawn")).statusCode()).isEqualTo(200);
            assertThat(code(chat(gw, dev, "support", SUBJECT, "Summarise the ticket"))).isEqualTo("consent_missing");
            // requests that name nobody are not affected
            assertThat(chat(gw, dev, "support", null, "Summarise the ticket").statusCode()).isEqualTo(200);

            List<JsonNode> entries = AuditLogEntries.of(gw);
            assertThat(entries.toString()).doesNotContain(SUBJECT).doesNotContain("receipt-991");
            JsonNode accepted = entries.stream().filter(e -> e.path("kind").asText().equals("bastion.audit.request/v1")
                    && e.has("subjects")).findFirst().orElseThrow();
            assertThat(accepted.path("subjects").get(0).asText()).isEqualTo(token);
            assertThat(entries).anyMatch(e -> e.path("kind").asText().equals("bastion.audit.refused/v1")
                    && e.path("error_code").asText().equals("consent_missing")
                    && e.path("decision").path("rules").toString().contains("subject-needs-basis"));
            // every refusal for want of a basis names the subject's token (never the id), so an investigator finds
            // the attempts as well as the requests that went through
            List<JsonNode> missing = entries.stream().filter(e -> e.path("error_code").asText().equals("consent_missing"))
                    .toList();
            assertThat(missing).hasSize(4).allMatch(e -> e.path("subjects").toString().equals("[\"" + token + "\"]"));
            var found = post(gw, "/bastion/v1/audit/search/by-subject", gw.auditorKey(), "incident-investigation",
                    Map.of("subject_id", SUBJECT, "kind", "refused"));
            assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
            assertThat(json(found).path("results").size()).isEqualTo(4);
            SearchQuery refusals = new SearchQuery(null, token, null, null, null, null, "refused", null, null, null, 50);
            assertThat(SearchJson.verify(json(found), refusals, gw.auditVerifierKey()).ok()).isTrue();
            assertThat(entries).anyMatch(e -> e.path("action").asText().equals("consent.change")
                    && e.path("outcome").asText().equals("withdrawn")
                    && e.path("target").asText().equals("purpose:support"));

            VerificationResult verified = LogVerifier.forKey(gw.auditVerifierKey()).verify(
                    LogSource.http(URI.create(gw.base() + "/bastion/v1/audit/"), gw.auditorKey()));
            assertThat(verified).isInstanceOf(VerificationResult.Verified.class);
        }
    }
}
