package dev.bastion.privacy;

import dev.bastion.policy.ConsentFacts;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.ManualClock;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry decides per subject and purpose: a grant is a basis until it is withdrawn or expires, other purposes
 * have none, every lawful basis counts, and the CCPA opt-out is reported. A change written on one replica is what
 * the other replica's next check sees, and evidence is stored only as ciphertext.
 */
class ConsentRegistryTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void basisPerSubjectAndPurposeAndChangesReachTheOtherReplica(StoreConfig.Kind kind) throws Exception {
        ManualClock clock = new ManualClock(NOW);
        try (var store = TestStores.open(kind); var a = new PrivacyFixtures(store, clock); var b = a.replica(clock)) {
            a.registry.record(List.of(
                    new ConsentChange("ana", "support", true, LawfulBasis.CONSENT, "receipt-1", NOW.plus(Duration.ofDays(30))),
                    new ConsentChange("bo", "support", true, LawfulBasis.CONTRACT, null, null)), "test");
            assertThat(a.registry.of("ana").orElseThrow().getFirst().evidence()).isEqualTo("receipt-1");
            int sealed = 0;
            try (var c = store.db().connection(); var q = c.prepareStatement(
                    "SELECT value FROM barrier_records WHERE path LIKE 'privacy/consents/%'"); var rs = q.executeQuery()) {
                while (rs.next()) {
                    sealed++;
                    assertThat(new String(rs.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1))
                            .doesNotContain("receipt-1");
                }
            }
            assertThat(sealed).isEqualTo(1);
            String ana = b.tokens.token("ana");
            String bo = b.tokens.token("bo");
            ConsentFacts both = b.registry.check(List.of(ana, bo), "support", NOW);
            assertThat(both.basis()).isTrue();
            assertThat(both.bases()).containsExactly("consent", "contract");
            assertThat(b.registry.check(List.of(ana), "analytics", NOW).withoutBasis()).isEqualTo(1);
            assertThat(b.registry.check(List.of(ana), null, NOW).basis()).isFalse();
            assertThat(b.registry.check(List.of(ana), "support", NOW.plus(Duration.ofDays(31))).basis())
                    .as("expired").isFalse();

            var w = a.registry.record(List.of(new ConsentChange("ana", "support", false, LawfulBasis.CONSENT, null, null)), "test");
            assertThat(w.propagation().confirmed()).isTrue();
            assertThat(b.registry.check(List.of(ana, bo), "support", NOW).withoutBasis()).as("withdrawn on a").isEqualTo(1);

            a.registry.saleOptOut("bo", true);
            assertThat(b.registry.check(List.of(bo), "support", NOW).saleOptOut()).isTrue();

            assertThat(a.registry.of("ana").orElseThrow()).singleElement()
                    .satisfies(c -> assertThat(c.granted()).isFalse());
            assertThat(a.registry.of("nobody")).isEmpty();
        }
    }
}
