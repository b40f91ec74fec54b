package dev.bastion.audit;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;

import java.time.Clock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The accept record: placed after every stage that may change the request (the prepare stage froze it), immediately
 * before the backend call, so it describes the exact bytes sent ({@link SentBody}).
 * It durably appends a {@link RequestEntry} and records its leaf index on the exchange; if that fails the request
 * is refused with 503 {@code audit_unavailable} and the backend is never called. When the exchange ends it appends
 * the {@link CompleteEntry} (asynchronously — the answer has been sent by then).
 */
public final class AuditStage implements Stage {
    private static final Logger LOG = Logger.getLogger(AuditStage.class.getName());

    /** Told how long each accept record took (build, canonicalise, durable group commit) and whether it was stored. */
    @FunctionalInterface
    public interface AcceptTimer {
        AcceptTimer NONE = (nanos, stored) -> { };

        void record(long nanos, boolean stored);
    }

    private final Supplier<AuditLedger> ledger;
    private final AuditFacts facts;
    private final Clock clock;
    private final AcceptTimer timer;

    public AuditStage(AuditLedger ledger, AuditFacts facts, Clock clock) {
        this(() -> ledger, facts, clock, AcceptTimer.NONE);
    }

    /**
     * @param ledger the ledger, which may be opened after the stage is built (once the barrier opens)
     * @param timer  measures the time the stage adds to a request (the {@code bastion.audit.append} metric)
     */
    public AuditStage(Supplier<AuditLedger> ledger, AuditFacts facts, Clock clock, AcceptTimer timer) {
        this.ledger = ledger;
        this.facts = facts;
        this.clock = clock;
        this.timer = timer;
    }

    @Override
    public String name() { return "audit"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        Actor principal = facts.principal(exchange);
        if (principal == null) return Outcome.deny(ErrorCode.INTERNAL, "request reached audit unauthenticated");
        // the record describes the bytes the backend gets: no record before they exist
        java.util.List<SentBody> sent = facts.sent(exchange);
        if (sent.isEmpty()) return Outcome.deny(ErrorCode.INTERNAL, "request reached audit before it was prepared");
        long start = System.nanoTime();
        RequestEntry entry;
        try {
            entry = RequestEntry.builder(exchange).principal(principal).decision(facts.decision(exchange))
                    .findings(facts.inputFindings(exchange)).model(facts.route(exchange)).sent(sent)
                    .purpose(facts.purpose(exchange)).classification(facts.classification(exchange)).build();
        } catch (IllegalArgumentException e) {
            LOG.log(Level.SEVERE, "audit record could not be built: " + e.getMessage());
            return Outcome.deny(ErrorCode.INTERNAL, "audit record could not be built");
        }
        try {
            exchange.put(AuditIndex.class, new AuditIndex(ledger.get().append(entry)));
            timer.record(System.nanoTime() - start, true);
            return Outcome.proceed();
        } catch (AuditUnavailableException e) {
            timer.record(System.nanoTime() - start, false);
            LOG.log(Level.WARNING, "refusing request: " + e.getMessage());
            return Outcome.deny(ErrorCode.AUDIT_UNAVAILABLE, "the audit log is unavailable; the request was not forwarded");
        }
    }

    @Override
    public void onComplete(Exchange exchange) {
        AuditIndex accepted = exchange.get(AuditIndex.class);
        if (accepted == null || exchange.completion() == null) return; // refused here or earlier
        try {
            ledger.get().appendAsync(CompleteEntry.of(exchange, clock.instant(), facts.outputFindings(exchange))
                            .servedBy(facts.servedBackend(exchange), facts.fallbacks(exchange)))
                    .exceptionally(e -> {
                        LOG.log(Level.SEVERE, "complete record for leaf " + accepted.leaf() + " not written: "
                                + e.getClass().getSimpleName());
                        return -1L;
                    });
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "complete record could not be built: " + e.getClass().getName());
        }
    }
}
