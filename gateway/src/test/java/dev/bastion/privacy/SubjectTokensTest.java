package dev.bastion.privacy;

import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subject's token is stable while their key lives, differs between subjects, is never the id, and once the key
 * is destroyed the id yields no token — and naming the subject again yields a new, unrelated one. Looking a
 * subject up never registers them.
 */
class SubjectTokensTest {

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void tokensAreStableUnlinkableAfterErasureAndLookupsCreateNothing(StoreConfig.Kind kind) throws Exception {
        try (var store = TestStores.open(kind); var f = new PrivacyFixtures(store, Clock.systemUTC())) {
            assertThat(f.tokens.existing("ana")).isEmpty();
            assertThat(f.keys.existing("ana")).as("a lookup creates no key").isEmpty();

            String ana = f.tokens.token("ana");
            assertThat(ana).matches("[0-9a-f]{32}").doesNotContain("ana");
            assertThat(f.tokens.token("ana")).isEqualTo(ana);
            assertThat(f.tokens.token("bo")).isNotEqualTo(ana);
            // another replica (its own caches) computes the same token from the store's key
            try (var other = f.replica(Clock.systemUTC())) {
                assertThat(other.tokens.token("ana")).isEqualTo(ana);
            }
            assertThat(f.privacy.subject(ana)).as("registered as seen").isPresent();

            long keyId = f.keys.destroy("ana").orElseThrow();
            assertThat(keyId).isEqualTo(f.privacy.subject(ana).orElseThrow().keyId());
            f.tokens.forget();
            assertThat(f.tokens.existing("ana")).isEmpty();
            String again = f.tokens.token("ana");
            assertThat(again).isNotEqualTo(ana);
        }
    }
}
