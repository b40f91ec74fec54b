package dev.bastion.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.audit.AuditConfig;
import dev.bastion.audit.AuditLedger;
import dev.bastion.testing.PlaintextSigningKeyStore;
import dev.bastion.barrier.BlindIndex;
import dev.bastion.config.PrivacySettings;
import dev.bastion.inspect.EntityType;
import dev.bastion.inspect.BarrierPseudonymVault;
import dev.bastion.inspect.VaultOwner;
import dev.bastion.inspect.VaultRecords;
import dev.bastion.investigate.AuditFollower;
import dev.bastion.investigate.SearchIndexer;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.ManualClock;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention removes exactly what a rule makes due — per data kind, purpose and classification — and nothing
 * else; each removal is preceded by a proof-of-deletion audit entry whose digest anyone holding the identities of
 * the removed records can recompute; subjects past retention lose their key (shredded); a second run finds nothing.
 */
class RetentionJobTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void rulesRemoveWhatIsDueAfterAProofAndNothingElse(StoreConfig.Kind kind) throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (var store = TestStores.open(kind); var f = new PrivacyFixtures(store, clock);
             AuditLedger ledger = AuditLedger.open(store.db(), AuditConfig.defaults("bastion.test/audit").withIntegrate(false),
                     new PlaintextSigningKeyStore(store.db()), clock)) {
            var vault = new BarrierPseudonymVault(f.records, new BlindIndex(() -> new byte[32]), clock,
                    Duration.ofDays(3650));
            String ana = f.tokens.token("ana");
            vault.tokenFor("conv-1", EntityType.PERSON, "Ana Lima",
                    new VaultOwner(f.records.forSubjects(List.of("ana")), List.of(ana), "support", "confidential"));
            vault.tokenFor("conv-2", EntityType.PERSON, "Ana Lima",
                    new VaultOwner(f.records.forSubjects(List.of("ana")), List.of(ana), "analytics", "confidential"));
            f.registry.record(List.of(new ConsentChange("ana", "support", false, LawfulBasis.CONSENT, null, null)), "t");
            f.tokens.token("bo"); // seen once, no basis ever
            for (int i = 0; i < 3; i++) ledger.append(dev.bastion.investigate.AuditSearchTestEntries.at(T0, i));
            new AuditFollower(store.db(), SearchIndexer.FOLLOWER, new SearchIndexer(), clock, Duration.ofMillis(50),
                    100, AuditFollower.Start.BEGINNING).catchUp();
            VaultRecords records = new VaultRecords(vault);
            String supportEntry = records.createdBefore(T0.plusSeconds(1).toEpochMilli(), "support", null).getFirst();

            RetentionJob job = new RetentionJob(List.of(
                    new PrivacySettings.Retention("vault-support", PrivacySettings.Data.PSEUDONYMS, "support", null, Duration.ofDays(30)),
                    new PrivacySettings.Retention("metadata", PrivacySettings.Data.REQUEST_METADATA, null, null, Duration.ofDays(365)),
                    new PrivacySettings.Retention("consents", PrivacySettings.Data.CONSENTS, null, null, Duration.ofDays(90)),
                    new PrivacySettings.Retention("subjects", PrivacySettings.Data.SUBJECTS, null, null, Duration.ofDays(1095))),
                    f.registry, new RetentionScans(store.db()), records, f.keys, () -> ledger, clock);

            clock.set(T0.plus(Duration.ofDays(29)));
            assertThat(job.run()).isEmpty();

            clock.set(T0.plus(Duration.ofDays(31)));
            var first = job.run();
            assertThat(first).singleElement().satisfies(o -> {
                assertThat(o.rule()).isEqualTo("vault-support");
                assertThat(o.removed()).isEqualTo(1);
                assertThat(o.digest()).isEqualTo(digest("vault:" + supportEntry));
            });
            assertThat(records.ofSubject(ana)).singleElement().satisfies(e -> assertThat(e.purpose()).isEqualTo("analytics"));
            JsonNode proof = entry(ledger, first.getFirst().auditIndex());
            assertThat(proof.path("kind").asText()).isEqualTo("bastion.audit.retention/v1");
            assertThat(proof.path("digest").asText()).isEqualTo(first.getFirst().digest());
            assertThat(proof.path("purpose").asText()).isEqualTo("support");
            assertThat(proof.toString()).doesNotContain("Ana Lima");

            clock.set(T0.plus(Duration.ofDays(400)));
            var second = job.run();
            assertThat(second).extracting(RetentionJob.Outcome::rule).containsExactly("metadata", "consents");
            assertThat(second.getFirst().digest()).isEqualTo(digest("search:0\nsearch:1\nsearch:2"));
            assertThat(second.get(1).digest()).isEqualTo(digest("consent:" + ana + "/support"));
            assertThat(f.registry.of("ana").orElseThrow()).isEmpty();

            clock.set(T0.plus(Duration.ofDays(1100)));
            long boKey = f.keys.existing("bo").orElseThrow().keyId();
            long anaKey = f.keys.existing("ana").orElseThrow().keyId();
            var third = job.run();
            assertThat(third).singleElement().satisfies(o -> {
                assertThat(o.method()).isEqualTo("shredded");
                assertThat(o.digest()).isEqualTo(digest(sortedKeys(anaKey, boKey)));
            });
            f.keys.forget();
            assertThat(f.keys.existing("bo")).isEmpty();
            assertThat(f.keys.existing("ana")).isEmpty();
            assertThat(records.ofSubject(ana)).as("their vault entries went with them").isEmpty();

            assertThat(job.run()).as("nothing left to do").isEmpty();
        }
    }

    private static String sortedKeys(long a, long b) {
        return "subject-key:" + Math.min(a, b) + "\nsubject-key:" + Math.max(a, b);
    }

    static String digest(String identities) {
        return "sha256:" + AccessExport.sha256(identities.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode entry(AuditLedger ledger, long index) throws Exception {
        return JSON.readTree(ledger.reader().entry(index).orElseThrow());
    }
}
