package dev.bastion.audit;

import dev.bastion.audit.tlog.NoteSigner;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A log keeps its identity for life: a ledger does not open over published checkpoints of another origin or another
 * signing key (a changed {@code audit.origin}, replicas that disagree on it, a store holding another deployment's
 * log), because its next checkpoint would silently start a different log that no existing verifier accepts.
 */
class LedgerIdentityTest {
    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aLedgerRefusesToOpenOverAnotherOriginOrKey(StoreConfig.Kind kind) throws Exception {
        try (var store = TestStores.open(kind)) {
            byte[] seed = NoteSigner.newSeed();
            SigningKeyStore keys = generate -> seed.clone();
            String vkey;
            try (var ledger = AuditLedger.open(store.db(), AuditLedgerTest.manual(), keys, Clock.systemUTC())) {
                ledger.append(AuditEntryTest.request("r1"));
                assertThat(ledger.integrateNow()).isTrue();
                vkey = ledger.verifierKey();
            }
            AuditConfig otherOrigin = AuditConfig.defaults("elsewhere.test/audit").withIntegrate(false);
            assertThatThrownBy(() -> AuditLedger.open(store.db(), otherOrigin, keys, Clock.systemUTC()))
                    .isInstanceOf(AuditUnavailableException.class)
                    .hasMessageContaining("origin is 'bastion.test/audit'").hasMessageContaining("elsewhere.test/audit");
            byte[] otherSeed = NoteSigner.newSeed();
            assertThatThrownBy(() -> AuditLedger.open(store.db(), AuditLedgerTest.manual(), generate -> otherSeed,
                    Clock.systemUTC()))
                    .isInstanceOf(AuditUnavailableException.class).hasMessageContaining("not signed by this ledger's key");

            // the same identity opens, and the log goes on verifying with the key verifiers already hold
            try (var ledger = AuditLedger.open(store.db(), AuditLedgerTest.manual(), keys, Clock.systemUTC())) {
                ledger.append(AuditEntryTest.request("r2"));
                assertThat(ledger.integrateNow()).isTrue();
                assertThat(ledger.verifierKey()).isEqualTo(vkey);
                assertThat(LogVerifier.forKey(vkey).verify(LogSource.of(ledger.reader())))
                        .isInstanceOf(VerificationResult.Verified.class);
            }
        }
    }
}
