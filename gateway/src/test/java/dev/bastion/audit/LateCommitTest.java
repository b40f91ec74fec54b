package dev.bastion.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A stalled store (another transaction holds the ledger's lock): appends give up after the append timeout, so the
 * request is refused. The transaction already running for an accept entry may still commit once the lock is gone —
 * then the log records the refusal next to that accept entry, and entries whose appenders gave up before their
 * transaction started are never written.
 */
class LateCommitTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void anAcceptStoredAfterItsCallerGaveUpIsFollowedByItsRefusal(StoreConfig.Kind kind) throws Exception {
        try (var store = TestStores.open(kind);
             var ledger = AuditLedger.open(store.db(), AuditLedgerTest.manual().withAppendTimeout(Duration.ofMillis(300)),
                     new ServerStateSigningKeyStore(store.db()), Clock.systemUTC());
             Connection blocker = StoredLedger.connect(store.config()); Statement s = blocker.createStatement()) {
            if (kind == StoreConfig.Kind.SQLITE) {
                blocker.setAutoCommit(true);
                s.execute("BEGIN IMMEDIATE"); // holds SQLite's write lock
            } else {
                blocker.setAutoCommit(false);
                s.execute("LOCK TABLE audit_sequence IN EXCLUSIVE MODE");
            }
            long start = System.nanoTime();
            assertThatThrownBy(() -> ledger.append(AuditEntryTest.request("stalled")))
                    .isInstanceOf(AuditUnavailableException.class).hasMessageContaining("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            // queued behind the stalled transaction: given up before it was ever written
            assertThatThrownBy(() -> ledger.append(AuditEntryTest.request("queued")))
                    .isInstanceOf(AuditUnavailableException.class);
            s.execute("COMMIT");

            Await.until(Duration.ofSeconds(10), () -> StoredLedger.read(store.config()).nextIndex() >= 2);
            long next = ledger.append(AuditEntryTest.request("after"));
            assertThat(ledger.integrateNow()).isTrue();
            JsonNode accept = entry(ledger, 0);
            assertThat(accept.path("request_id").asText()).isEqualTo("stalled");
            JsonNode outcome = entry(ledger, 1);
            assertThat(outcome.path("kind").asText()).isEqualTo(CompleteEntry.KIND);
            assertThat(outcome.path("request_id").asText()).isEqualTo("stalled");
            assertThat(outcome.path("accept_index").asLong()).isZero();
            assertThat(outcome.path("status").asInt()).isEqualTo(503);
            assertThat(outcome.path("error_code").asText()).isEqualTo("audit_unavailable");
            assertThat(next).as("'queued' was never written").isEqualTo(2);
            assertThat(LogVerifier.forKey(ledger.verifierKey()).verify(LogSource.of(ledger.reader())))
                    .isInstanceOf(VerificationResult.Verified.class);
        }
    }

    private static JsonNode entry(AuditLedger ledger, long index) throws Exception {
        return JSON.readTree(ledger.reader().entry(index).orElseThrow());
    }
}
