package dev.bastion.audit;

import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;

import java.time.Clock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records refused requests on every route, model and admin alike: placed before every stage that can refuse, so its
 * {@link #onComplete} runs for every exchange that got past the seal. An exchange that ended with a 4xx (or a failed
 * security stage) and no {@link AuditIndex} gets a {@link RefusedEntry} naming the route's action; unauthenticated
 * floods are counted per window by {@link AuditLedger#refused}. Never refuses anything itself.
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
        // an audit outage cannot record itself; everything else refused before its accept (or requested) record is
        // recorded here
        if (exchange.get(AuditIndex.class) != null || c == null || c.status() < 400
                || "audit_unavailable".equals(c.errorCode())) return;
        try {
            // refused before the body was parsed (401s), or on a route that names no model: no model to name;
            // otherwise only a model that exists is named (a caller's text never becomes part of the log)
            ModelRoute model = exchange.get(ModelRequest.class) == null ? null : validated(exchange);
            ledger.get().refused(RefusedEntry.of(exchange.requestId(), clock.instant(), facts.principal(exchange),
                    AuditEntry.isValidLabel(exchange.clientAddress()) ? exchange.clientAddress() : null,
                    exchange.action(), model,
                    c.status(), c.errorCode() != null ? c.errorCode() : "http_" + c.status(),
                    facts.decision(exchange), facts.inputFindings(exchange))
                    .withSubjects(facts.subjectTokens(exchange)));
        } catch (LedgerClosedException e) {
            // sealed: only the barrier's own routes answer (their attempts are kept by OperatorAttempts); a refusal
            // there before the handler ran cannot be signed until the barrier opens
            LOG.info("refusal " + c.status() + " " + c.errorCode() + " of " + exchange.requestId()
                    + " while sealed not recorded: the audit log opens with the barrier");
        } catch (AuditUnavailableException e) {
            LOG.log(Level.SEVERE, "refusal of " + exchange.requestId() + " not recorded: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "refusal record could not be built: " + e.getClass().getName());
        }
    }
}
