package dev.bastion.audit;

import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;

import java.time.Clock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records refused requests: placed first in the pipeline, so its {@link #onComplete} runs for every exchange. An
 * exchange that ended with a 4xx and no accept record gets a {@link RefusedEntry}; unauthenticated floods are
 * counted per window by {@link AuditLedger#refused}. Never refuses anything itself.
 */
public final class RefusalAuditStage implements Stage {
    private static final Logger LOG = Logger.getLogger(RefusalAuditStage.class.getName());

    private final Supplier<AuditLedger> ledger;
    private final AuditFacts facts;
    private final Clock clock;

    public RefusalAuditStage(AuditLedger ledger, AuditFacts facts, Clock clock) {
        this(() -> ledger, facts, clock);
    }

    /** @param ledger the ledger, which may be opened after the stage is built (once the barrier opens) */
    public RefusalAuditStage(Supplier<AuditLedger> ledger, AuditFacts facts, Clock clock) {
        this.ledger = ledger;
        this.facts = facts;
        this.clock = clock;
    }

    @Override
    public String name() { return "audit-refusals"; }

    @Override
    public Outcome onRequest(Exchange exchange) { return Outcome.proceed(); }

    private ModelRoute validated(Exchange exchange) {
        try {
            return facts.route(exchange);
        } catch (RuntimeException e) {
            return ModelRoute.UNKNOWN;
        }
    }

    @Override
    public void onComplete(Exchange exchange) {
        Completion c = exchange.completion();
        // an audit outage cannot record itself; everything else refused before the accept record is recorded here
        if (exchange.auditIndex() >= 0 || c == null || c.status() < 400
                || "audit_unavailable".equals(c.errorCode())) return;
        try {
            // refused before the body was parsed (401s): no model to name; else only a model that exists is named
            ModelRoute model = exchange.request() == null ? null : validated(exchange);
            ledger.get().refused(RefusedEntry.of(exchange.requestId(), clock.instant(), facts.principal(exchange),
                    AuditEntry.isValidLabel(exchange.clientAddress()) ? exchange.clientAddress() : null,
                    exchange.operation().action(), model,
                    c.status(), c.errorCode() != null ? c.errorCode() : "http_" + c.status(),
                    facts.decision(exchange), facts.inputFindings(exchange)));
        } catch (AuditUnavailableException e) {
            LOG.log(Level.SEVERE, "refusal of " + exchange.requestId() + " not recorded: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "refusal record could not be built: " + e.getClass().getName());
        }
    }
}
