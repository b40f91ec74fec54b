package dev.bastion.audit;

import dev.bastion.testing.PlaintextSigningKeyStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.api.ContextStage;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Pipeline;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.pipeline.ResponseSink;
import dev.bastion.pipeline.Stage;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit stages in a real {@link Pipeline}: the accept record is durable before the backend is called, a failed
 * append means 503 and no backend call, refusals and completions are recorded, and the result verifies.
 */
class AuditStageTest {
    /** What the test's authenticate stage leaves on the exchange. */
    private record Caller(Actor actor) {}
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestStores.Handle store;
    private AuditLedger ledger;
    private final AtomicInteger backendCalls = new AtomicInteger();
    private final AtomicLong indexSeenByBackend = new AtomicLong(-1);

    /** Authenticates callers that send an "authorization" header; others get 401. */
    private static final Stage AUTH = new Stage() {
        public String name() { return "authenticate"; }

        public Outcome onRequest(Exchange e) {
            if (e.header("authorization") == null) return Outcome.deny(ErrorCode.MISSING_CREDENTIALS, "no credentials");
            e.put(Caller.class, new Caller(AuditEntryTest.ALICE));
            return Outcome.proceed();
        }
    };

    private final AuditFacts facts = new AuditFacts() {
        public Actor principal(Exchange e) {
            Caller c = e.get(Caller.class);
            return c == null ? null : c.actor();
        }

        public PolicyDecision decision(Exchange e) { return new PolicyDecision("permit", List.of("r1"), List.of()); }

        public ModelRoute route(Exchange e) { return new ModelRoute(e.require(ModelRequest.class).model(), "llama-3.1-8b", "vllm-1"); }

        public Map<String, ? extends Number> outputFindings(Exchange e) { return Map.of("EMAIL", 1); }

        public List<SentBody> sent(Exchange e) { return List.of(SentBody.of("vllm-1", e.require(ModelRequest.class).raw())); }

        public Map<String, ? extends Number> inputFindings(Exchange e) { return Map.of(); }

        public String servedBackend(Exchange e) { return null; }

        public int fallbacks(Exchange e) { return 0; }

        public String purpose(Exchange e) { return null; }

        public List<String> subjectTokens(Exchange e) { return List.of(); }

        public String classification(Exchange e) { return null; }
    };

    @BeforeEach
    void open() throws Exception {
        store = TestStores.sqlite();
        ledger = AuditLedger.open(store.db(), AuditLedgerTest.manual(), new PlaintextSigningKeyStore(store.db()),
                Clock.systemUTC());
    }

    @AfterEach
    void close() {
        ledger.close();
        store.close();
    }

    private Pipeline pipeline(AuditLedger l) {
        return new Pipeline(List.of(new RefusalAuditStage(l, facts, Clock.systemUTC()), AUTH, new ContextStage(),
                new AuditStage(l, facts, Clock.systemUTC())), (exchange, filter, sink) -> {
            backendCalls.incrementAndGet();
            // the backend sees an exchange whose accept record is already readable from the store
            try {
                assertThat(l.reader().entry(exchange.require(AuditIndex.class).leaf())).isPresent();
            } catch (AuditUnavailableException e) {
                throw new AssertionError(e);
            }
            indexSeenByBackend.set(exchange.require(AuditIndex.class).leaf());
            sink.sendJson(200, "{}".getBytes());
            return new Completion(200, null, Completion.Result.OK, 5, 7, System.nanoTime());
        });
    }

    private static Exchange exchange(String id, String auth, String purpose) {
        var body = JSON.createObjectNode().put("model", "chat-small");
        var headers = new java.util.HashMap<String, String>();
        if (auth != null) headers.put("authorization", auth);
        // the context stage reads the declared purpose from its header, as on every route
        if (purpose != null) headers.put("x-bastion-purpose", purpose);
        return dev.bastion.testing.TestExchanges.exchange(id, AuditEntryTest.T, System.nanoTime(), "203.0.113.7",
                headers, RequestContext.EMPTY,
                new ModelRequest(Operation.CHAT, new byte[0], body, "chat-small", false));
    }

    private JsonNode entry(long index) throws Exception {
        return JSON.readTree(ledger.reader().entry(index).orElseThrow());
    }

    @Test
    void acceptIsDurableBeforeTheBackendAndEveryOutcomeIsRecorded() throws Exception {
        Pipeline p = pipeline(ledger);
        RecordingSink ok = new RecordingSink();
        p.run(exchange("req-ok", "Bearer x", "support"), ok);
        assertThat(ok.status).isEqualTo(200);
        assertThat(backendCalls).hasValue(1);
        assertThat(entry(indexSeenByBackend.get()).get("kind").asText()).isEqualTo(RequestEntry.KIND);
        Await.until(Duration.ofSeconds(5), () -> ledger.reader().entry(1).isPresent());
        JsonNode complete = entry(1);
        assertThat(complete.get("kind").asText()).isEqualTo(CompleteEntry.KIND);
        assertThat(complete.get("accept_index").asLong()).isEqualTo(indexSeenByBackend.get());
        assertThat(complete.get("findings").get("EMAIL").asInt()).isEqualTo(1);

        RecordingSink unauthenticated = new RecordingSink();
        p.run(exchange("req-401", null, null), unauthenticated);
        assertThat(unauthenticated.problem.code()).isEqualTo(ErrorCode.MISSING_CREDENTIALS);
        JsonNode refused = entry(2);
        assertThat(refused.get("kind").asText()).isEqualTo(RefusedEntry.KIND);
        assertThat(refused.get("error_code").asText()).isEqualTo("missing_credentials");
        assertThat(refused.has("principal")).isFalse();

        RecordingSink badHeader = new RecordingSink();
        p.run(exchange("req-400", "Bearer x", "please summarise this"), badHeader);
        assertThat(badHeader.problem.code()).isEqualTo(ErrorCode.INVALID_HEADER);
        JsonNode refusedHeader = entry(3);
        assertThat(refusedHeader.get("status").asInt()).isEqualTo(400);
        assertThat(refusedHeader.get("principal").get("id").asText()).isEqualTo("key:k1");
        assertThat(new String(ledger.reader().entry(3).orElseThrow())).doesNotContain("summarise");
        assertThat(backendCalls).hasValue(1);

        ledger.integrateNow();
        assertThat(LogVerifier.forKey(ledger.verifierKey()).verify(LogSource.of(ledger.reader())).ok()).isTrue();
    }

    @Test
    void whenTheAppendFailsTheRequestGets503AndTheBackendIsNeverCalled() throws Exception {
        AuditLedger closed = AuditLedger.open(store.db(), AuditLedgerTest.manual(),
                new PlaintextSigningKeyStore(store.db()), Clock.systemUTC());
        closed.close(); // appends now fail: the log is closed
        RecordingSink sink = new RecordingSink();
        pipeline(closed).run(exchange("req-503", "Bearer x", null), sink);
        assertThat(sink.problem.code()).isEqualTo(ErrorCode.AUDIT_UNAVAILABLE);
        assertThat(sink.problem.status()).isEqualTo(503);
        assertThat(backendCalls).hasValue(0);
    }

    /** Captures what the pipeline sent. */
    static final class RecordingSink implements ResponseSink {
        int status;
        Problem problem;

        public void sendJson(int status, byte[] body) { this.status = status; }

        public void send(int status, String contentType, byte[] body) { this.status = status; }

        public void sendProblem(Problem problem) {
            this.problem = problem;
            this.status = problem.status();
        }

        public OutputStream openEventStream() { throw new UnsupportedOperationException(); }

        public boolean committed() { return status != 0; }
    }
}
