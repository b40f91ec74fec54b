package dev.bastion.privacy;

import dev.bastion.inspect.VaultOwner;
import dev.bastion.policy.ConsentFacts;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.testing.TestExchanges;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After the consent stage the exchange carries only subject tokens (what policy, audit and the vault see), with the
 * registry's facts for the declared purpose; a replica whose change feed is not fresh refuses (fail closed).
 */
class ConsentStageTest {

    static Exchange chat(RequestContext ctx) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("model", "chat");
        return TestExchanges.exchange("r1", java.time.Instant.now(), 0, "127.0.0.1:5000", java.util.Map.of(), ctx,
                new dev.bastion.pipeline.ModelRequest(dev.bastion.pipeline.Operation.CHAT, new byte[0], json, "chat", false));
    }

    @Test
    void theExchangeCarriesTokensAndFactsNeverTheIds() throws Exception {
        try (var store = TestStores.sqlite(); var f = new PrivacyFixtures(store, Clock.systemUTC())) {
            f.registry.record(List.of(new ConsentChange("p-1", "support", true, LawfulBasis.CONSENT, null, null)), "t");
            Exchange ex = chat(new RequestContext("support", List.of("p-1", "p-2"), "internal", "conv"));
            assertThat(new ConsentStage(f.registry).onRequest(ex)).isInstanceOf(Outcome.Continue.class);
            List<String> subjects = ex.get(RequestContext.class).subjects();
            assertThat(subjects).containsExactly(f.tokens.token("p-1"), f.tokens.token("p-2"));
            assertThat(subjects.toString()).doesNotContain("p-1").doesNotContain("p-2");
            assertThat(ex.get(ConsentFacts.class).withoutBasis()).isEqualTo(1);
            assertThat(ex.get(VaultOwner.class).subjects()).isEqualTo(subjects);
        }
    }

    @Test
    void aReplicaThatLostTheChangeFeedRefuses() throws Exception {
        try (var store = TestStores.sqlite(); var f = new PrivacyFixtures(store, Clock.systemUTC())) {
            f.feed.close(); // no more syncs: fresh for at most stale-after, then not
            PrivacyGateways.await(java.time.Duration.ofSeconds(10), () -> !f.registry.fresh());
            Exchange ex = chat(new RequestContext("support", List.of("p-1"), null, null));
            Outcome out = new ConsentStage(f.registry).onRequest(ex);
            assertThat(out).isInstanceOfSatisfying(Outcome.Deny.class,
                    d -> assertThat(d.problem().code()).isEqualTo(ErrorCode.CONSENT_UNAVAILABLE));
            // a request that names nobody does not depend on consent
            Exchange plain = chat(RequestContext.EMPTY);
            assertThat(new ConsentStage(f.registry).onRequest(plain)).isInstanceOf(Outcome.Continue.class);
        }
    }
}
