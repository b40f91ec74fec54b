package dev.bastion.privacy;

import dev.bastion.store.StoreConfig;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static dev.bastion.privacy.PrivacyGateways.code;
import static dev.bastion.privacy.PrivacyGateways.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input to the privacy API is a 4xx with a stable code — never a 500 — and the answer never repeats the value
 * that was refused (a subject id, evidence), on either store.
 */
class PrivacyApiInputTest {
    private static final String ID = "Jane Doe <jane@example.org>";

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void badInputIsATypedClientErrorThatDoesNotEchoTheValue(StoreConfig.Kind kind) throws Exception {
        try (var upstream = new StandInUpstream(); var store = TestStores.open(kind);
             TestGateway gw = PrivacyGateways.start(upstream, store, "")) {
            String dpo = PrivacyGateways.officerKey(gw);
            URI b = gw.base();
            String dsr = "data-subject-request";

            expect(send(gw, "POST", "/bastion/v1/consents", dpo, null, null,
                    "{\"subject\":\"" + ID + "\",\"purpose\":\"support\"}"), 400, "invalid_field");
            expect(send(gw, "POST", "/bastion/v1/consents", dpo, null, null, "{\"purpose\":\"support\"}"),
                    400, "missing_field");
            expect(send(gw, "POST", "/bastion/v1/consents", dpo, null, null,
                    "{\"subject\":\"c-1\",\"purpose\":\"support\",\"basis\":\"vibes\"}"), 400, "invalid_field");
            expect(send(gw, "POST", "/bastion/v1/consents", dpo, null, null,
                    "{\"subject\":\"c-1\",\"purpose\":\"support\",\"evidence\":\"" + ID + "\",\"expires_at\":\"soon\"}"),
                    400, "invalid_field");
            expect(send(gw, "POST", "/bastion/v1/consents", dpo, null, null,
                    "{\"subject\":\"c-1\",\"purpose\":\"support\",\"colour\":\"red\"}"), 400, null);
            expect(send(gw, "POST", "/bastion/v1/consents", dpo, null, null, "{\"subject\":[\"" + ID + "\"]}"), 400, null);
            expect(send(gw, "POST", "/bastion/v1/consents", dpo, null, null, "{\"subject\":"), 400, null);
            expect(send(gw, "POST", "/bastion/v1/subjects/sale-opt-out", dpo, null, null,
                    "{\"subject\":\"c-1\",\"opt_out\":\"" + ID + "\"}"), 400, null);

            expect(raw(b, "/bastion/v1/consents/import", dpo, "text/plain", "subject,purpose\nc-1,support\n"),
                    415, null);
            expect(raw(b, "/bastion/v1/consents/import", dpo, "text/csv", "subject,purpose\nc-1,support\n" + ID
                    + ",support\n"), 400, "invalid_field");
            expect(raw(b, "/bastion/v1/consents/import", dpo, "application/x-ndjson", "{\"subject\":\"" + ID + "\"\n"),
                    400, "invalid_field");

            expect(send(gw, "POST", "/bastion/v1/subjects/export", dpo, dsr, null, "{}"), 400, "missing_field");
            expect(send(gw, "POST", "/bastion/v1/subjects/export", dpo, dsr, null, "{\"subject\":\"" + ID + "\"}"),
                    400, "invalid_field");
            expect(send(gw, "POST", "/bastion/v1/subjects/erase", dpo, dsr, null, "{\"subject\":5}"), 400, null);
            expect(send(gw, "GET", "/bastion/v1/subjects/requests?limit=0", dpo, null, null, null), 400, "invalid_field");

            String auditor = gw.auditorKey();
            expect(send(gw, "GET", "/bastion/v1/audit/search?limit=many", auditor, null, null, null), 400, "invalid_field");
            expect(send(gw, "GET", "/bastion/v1/audit/search?from=yesterday", auditor, null, null, null), 400, "invalid_field");
            expect(send(gw, "GET", "/bastion/v1/audit/search?decision=maybe", auditor, null, null, null), 400, "invalid_field");
            expect(send(gw, "GET", "/bastion/v1/audit/search?before=-1", auditor, null, null, null), 400, "invalid_field");
            expect(send(gw, "POST", "/bastion/v1/audit/search/by-subject", auditor, "incident-investigation", null,
                    "{\"subject_id\":\"" + ID + "\"}"), 400, "invalid_field");
        }
    }

    private static void expect(HttpResponse<String> r, int status, String errorCode) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(code(r)).as(r.body()).isNotEmpty();
        if (errorCode != null) assertThat(code(r)).isEqualTo(errorCode);
        assertThat(r.body()).doesNotContain("jane@example.org").doesNotContain("Jane Doe");
    }

    private static HttpResponse<String> raw(URI base, String path, String key, String type, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", type).header("Authorization", "Bearer " + key).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        }
    }
}
