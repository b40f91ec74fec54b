package dev.bastion.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.audit.LogSource;
import dev.bastion.audit.LogVerifier;
import dev.bastion.audit.VerificationResult;
import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.BarrierException;
import dev.bastion.barrier.BarrierStore;
import dev.bastion.barrier.KeyProviderConfig;
import dev.bastion.investigate.SearchJson;
import dev.bastion.investigate.SearchQuery;
import dev.bastion.store.Database;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.AuditLogEntries;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.bastion.privacy.PrivacyGateways.chat;
import static dev.bastion.privacy.PrivacyGateways.code;
import static dev.bastion.privacy.PrivacyGateways.json;
import static dev.bastion.privacy.PrivacyGateways.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Right of access and erasure end to end: the export bundle verifies offline with the log's verifier key alone and
 * any change to it is caught; erasure destroys the subject's key — a copy of their vault entry no longer decrypts —
 * leaves a proof entry without the id, and afterwards the id appears nowhere in the store or the data directory
 * while the audit log still verifies.
 */
class ErasureEndToEndTest {
    private static final String SUBJECT = "member-90210";
    private static final String EVIDENCE = "consent-form-2231";

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void exportVerifiesOfflineAndErasureLeavesNoTraceOfTheId(StoreConfig.Kind kind) throws Exception {
        try (var upstream = new StandInUpstream(); var store = TestStores.open(kind);
             TestGateway gw = PrivacyGateways.start(upstream, store, "")) {
            String dev = gw.developerKey();
            String officer = PrivacyGateways.officerKey(gw);
            String vkey = gw.auditVerifierKey();
            assertThat(post(gw, "/bastion/v1/consents", officer, null, Map.of("subject", SUBJECT, "purpose", "support",
                    "evidence", EVIDENCE)).statusCode()).isEqualTo(200);
            var answered = chat(gw, dev, "support", SUBJECT, "Write to Jane Doe about the refund.");
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
            assertThat(upstream.lastBody().toString()).contains("<PERSON_1>").doesNotContain("Jane Doe");
            VaultCopy copy = vaultCopy(store);

            // the auditor finds the subject's requests by id (with a purpose) and checks the answer offline
            var found = post(gw, "/bastion/v1/audit/search/by-subject", gw.auditorKey(), "incident-investigation",
                    Map.of("subject_id", SUBJECT));
            assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
            String token = json(found).path("query").path("subject").asText();
            assertThat(json(found).path("results").size()).isGreaterThanOrEqualTo(1);
            SearchQuery bySubject = new SearchQuery(null, token, null, null, null, null, null, null, null, null, 50);
            assertThat(SearchJson.verify(json(found), bySubject, vkey).ok()).isTrue();
            assertThat(code(post(gw, "/bastion/v1/audit/search/by-subject", gw.auditorKey(), null, Map.of("subject_id", SUBJECT))))
                    .isEqualTo("purpose_required");

            // right of access: needs the data-subject-request purpose; the admin may not
            assertThat(code(post(gw, "/bastion/v1/subjects/export", officer, null, Map.of("subject", SUBJECT))))
                    .isEqualTo("purpose_required");
            assertThat(post(gw, "/bastion/v1/subjects/export", gw.adminKey, "data-subject-request",
                    Map.of("subject", SUBJECT)).statusCode()).isEqualTo(403);
            var exported = post(gw, "/bastion/v1/subjects/export", officer, "data-subject-request", Map.of("subject", SUBJECT));
            assertThat(exported.statusCode()).as(exported.body()).isEqualTo(200);
            JsonNode doc = json(exported);
            ExportVerifier.Result ok = ExportVerifier.verify(doc, vkey);
            assertThat(ok.failures()).isEmpty();
            assertThat(ok.entriesProven()).isGreaterThanOrEqualTo(1);
            JsonNode bundle = doc.path("bundle");
            assertThat(bundle.path("subject").path("id").asText()).isEqualTo(SUBJECT);
            assertThat(bundle.path("subject").path("token").asText()).isEqualTo(token);
            assertThat(bundle.path("consents").get(0).path("evidence").asText()).isEqualTo(EVIDENCE);
            assertThat(bundle.path("pseudonym_vault").toString()).contains("Jane Doe").contains("<PERSON_1>");
            ObjectNode tampered = doc.deepCopy();
            ((ObjectNode) tampered.path("bundle").path("consents").get(0)).put("purpose", "analytics");
            assertThat(ExportVerifier.verify(tampered, vkey).failures()).anyMatch(f -> f.contains("digest"));

            // erasure
            var erased = post(gw, "/bastion/v1/subjects/erase", officer, "data-subject-request", Map.of("subject", SUBJECT));
            assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
            JsonNode proof = json(erased);
            assertThat(proof.path("outcome").asText()).isEqualTo("erased");
            assertThat(proof.path("counts").path("consents").asLong()).isEqualTo(1);
            assertThat(proof.path("counts").path("vault_entries").asLong()).isEqualTo(1);
            assertThat(proof.path("counts").path("audit_entries").asLong()).isGreaterThanOrEqualTo(1);
            long keyId = Long.parseLong(proof.path("key_id").asText());
            JsonNode entry = AuditLogEntries.of(gw).get((int) proof.path("audit_index").asLong());
            assertThat(entry.path("kind").asText()).isEqualTo("bastion.audit.erasure/v1");
            assertThat(entry.path("key_id").asText()).isEqualTo(Long.toString(keyId));
            assertThat(entry.toString()).doesNotContain(SUBJECT).doesNotContain(token);

            // a copy of the vault entry taken before (a backup) no longer decrypts: the key is gone
            try (Database db = Database.open(store.config())) {
                Barrier offline = Barrier.start(db, KeyProviderConfig.autoProvider(gw.config.barrier().section(),
                        gw.config.dataDir()));
                assertThat(BarrierStore.over(db, offline, java.time.Clock.systemUTC()).get(copy.path()))
                        .as("erasure deleted the entry").isEmpty();
                restore(db, copy);
                assertThatThrownBy(() -> BarrierStore.over(db, offline, java.time.Clock.systemUTC())
                        .forSubjects(List.of()).get(copy.path()))
                        .isInstanceOfSatisfying(BarrierException.class,
                                e -> assertThat(e.kind()).isEqualTo(BarrierException.Kind.SHREDDED));
                offline.seal();
            }
            // nothing is held any more, and a new request finds no basis
            assertThat(post(gw, "/bastion/v1/subjects/export", officer, "data-subject-request",
                    Map.of("subject", SUBJECT)).statusCode()).isEqualTo(404);
            assertThat(code(chat(gw, dev, "support", SUBJECT, "Hello"))).isEqualTo("consent_missing");

            StoredTraces.assertAbsent(store, gw.dataDir, List.of(SUBJECT, EVIDENCE, "Jane Doe"));

            VerificationResult verified = LogVerifier.forKey(vkey).verify(
                    LogSource.http(URI.create(gw.base() + "/bastion/v1/audit/"), gw.auditorKey()));
            assertThat(verified).isInstanceOf(VerificationResult.Verified.class);
        }
    }

    record VaultCopy(String path, byte[] ciphertext) {}

    private static VaultCopy vaultCopy(TestStores.Handle store) throws Exception {
        try (var c = store.db().connection(); var q = c.prepareStatement(
                "SELECT path, value FROM barrier_records WHERE path LIKE 'inspect/pseudonym%' ORDER BY path")) {
            VaultCopy copy = null;
            String owner = null;
            try (var rs = q.executeQuery()) {
                while (rs.next()) {
                    String path = rs.getString(1);
                    if (path.startsWith("inspect/pseudonyms/")) {
                        assertThat(copy).as("one vault entry").isNull();
                        copy = new VaultCopy(path, rs.getBytes(2));
                    } else if (path.startsWith("inspect/pseudonym-subjects/")) {
                        owner = path;
                    }
                }
            }
            assertThat(copy).as("one vault entry").isNotNull();
            assertThat(owner).as("it belongs to the subject's token")
                    .matches("inspect/pseudonym-subjects/[0-9a-f]{32}/" + copy.path().substring("inspect/pseudonyms/".length()));
            return copy;
        }
    }

    /** Puts a copy taken earlier back into the store, as restoring a backup would. */
    private static void restore(Database db, VaultCopy copy) throws Exception {
        try (var c = db.connection(); var ins = c.prepareStatement(
                "INSERT INTO barrier_records (path, value, updated_at) VALUES (?, ?, 0)")) {
            ins.setString(1, copy.path());
            ins.setBytes(2, copy.ciphertext());
            ins.executeUpdate();
        }
    }

    static String utf8(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
}
