package dev.bastion.audit;

import dev.bastion.testing.PlaintextSigningKeyStore;
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
             var ledger = AuditLedger.open(store.db(), AuditLedgerTest.manual().withAppendTimeout(Duration.ofMillis(600)),
                     new PlaintextSigningKeyStore(store.db()), Clock.systemUTC());
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

            Await.until(Duration.ofSeconds(10), () -> {
                StoredLedger l = StoredLedger.read(store.config());
                return l.nextIndex() >= 2 && l.count(CompleteEntry.KIND) == l.count(RequestEntry.KIND);
            });
            long next = ledger.append(AuditEntryTest.request("after"));
            assertThat(ledger.integrateNow()).isTrue();
            JsonNode accept = entry(ledger, 0);
            assertThat(accept.path("request_id").asText()).as("the stalled transaction committed").isEqualTo("stalled");
            // every accept entry stored for a refused request is followed by its refusal
            for (long i = 0; i < next; i++) {
                JsonNode e = entry(ledger, i);
                if (!e.path("kind").asText().equals(RequestEntry.KIND)) continue;
                JsonNode outcome = outcomeOf(ledger, i, next);
                assertThat(outcome != null).as("outcome of %s recorded", e.path("request_id").asText()).isTrue();
                assertThat(outcome.path("request_id").asText()).isEqualTo(e.path("request_id").asText());
                assertThat(outcome.path("status").asInt()).isEqualTo(503);
                assertThat(outcome.path("error_code").asText()).isEqualTo("audit_unavailable");
            }
            // 'queued' gave up before its transaction started: normally never written (unless this machine did
            // not even schedule the writer within the timeout, then it is stored and refused like 'stalled')
            assertThat(next).isBetween(2L, 4L);
            assertThat(LogVerifier.forKey(ledger.verifierKey()).verify(LogSource.of(ledger.reader())))
                    .isInstanceOf(VerificationResult.Verified.class);
        }
    }

    /** The complete entry recording how the accept entry at {@code accept} ended, or null. */
    private static JsonNode outcomeOf(AuditLedger ledger, long accept, long end) throws Exception {
        for (long i = accept + 1; i < end; i++) {
            JsonNode e = entry(ledger, i);
            if (e.path("kind").asText().equals(CompleteEntry.KIND) && e.path("accept_index").asLong() == accept) return e;
        }
        return null;
    }

    private static JsonNode entry(AuditLedger ledger, long index) throws Exception {
        return JSON.readTree(ledger.reader().entry(index).orElseThrow());
    }
}
