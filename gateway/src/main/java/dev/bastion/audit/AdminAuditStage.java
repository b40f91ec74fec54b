package dev.bastion.audit;

import dev.bastion.pipeline.Completion;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;

import java.util.function.Function;

/**
 * Audit before acting, for an admin route that changes something: last before the route's handler, it durably
 * appends a {@code requested} record (no record, no action: 503 {@code audit_unavailable}) and leaves its
 * {@link AuditIndex}; when the exchange ends it appends the outcome — from the handler's {@link AdminOutcome} fact if
 * it left one, else from the status. Refusals before this stage (401, 403, bad headers) are the refusal stage's.
 *
 * @param event  the audited action's name ({@code key.create}, {@code barrier.seal}, …)
 * @param target what the action works on, from the request ({@code key:<id>}); null when not known before acting.
 *               May throw a {@code ProblemException} (a malformed id: refused, and recorded as a refusal)
 */
public record AdminAuditStage(AdminLog log, AuditFacts facts, String event, Function<Exchange, String> target)
        implements Stage {

    /** The target the requested record named, kept for the outcome record. */
    private record Requested(String target) {}

    @Override
    public String name() { return "admin-audit"; }

    @Override
    public Outcome onRequest(Exchange exchange) {
        Actor actor = facts.principal(exchange);
        if (actor == null) return Outcome.deny(ErrorCode.INTERNAL, "admin action reached audit unauthenticated");
        String on = target == null ? null : target.apply(exchange);
        try {
            long leaf = log.requested(exchange.requestId(), actor, exchange.clientAddress(), event, on);
            exchange.put(AuditIndex.class, new AuditIndex(leaf));
            exchange.put(Requested.class, new Requested(on));
            return Outcome.proceed();
        } catch (AuditUnavailableException e) {
            return Outcome.deny(ErrorCode.AUDIT_UNAVAILABLE, "the audit log is unavailable; the action was not performed");
        }
    }

    @Override
    public void onComplete(Exchange exchange) {
        Requested requested = exchange.get(Requested.class);
        Completion c = exchange.completion();
        if (requested == null || c == null) return;
        AdminOutcome told = exchange.get(AdminOutcome.class);
        String outcome = told != null ? told.outcome()
                : c.status() < 300 ? "succeeded" : c.status() < 500 ? "rejected" : "failed";
        String on = told != null && told.target() != null ? told.target() : requested.target();
        log.outcome(exchange.requestId(), facts.principal(exchange), exchange.clientAddress(), event, on,
                told == null ? null : told.policyDigest(), outcome);
    }
}
