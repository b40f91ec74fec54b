package dev.bastion.api;

import dev.bastion.audit.Actor;
import dev.bastion.audit.AdminEntry;
import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import io.helidon.webserver.http.ServerRequest;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Audit before acting, for administrative actions: a {@code requested} record is durably appended before the
 * action runs (no record, no action: 503 {@code audit_unavailable}), and its outcome is recorded after.
 */
public final class AdminAudit {
    private static final Logger LOG = Logger.getLogger(AdminAudit.class.getName());

    private final Supplier<AuditLedger> ledger;
    private final Clock clock;

    public AdminAudit(Supplier<AuditLedger> ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Runs {@code action} between its two audit records. {@code target} names what is acted on, never secrets. */
    public <T> T audited(ServerRequest req, Principal who, String action, String target, Supplier<T> act) {
        String requestId = RequestIds.next();
        Actor actor = Actor.of(who);
        try {
            ledger.get().append(entry(requestId, actor, req, action, target, "requested"));
        } catch (AuditUnavailableException | IllegalStateException e) {
            throw new ProblemException(ErrorCode.AUDIT_UNAVAILABLE.problem(
                    "the audit log is unavailable; the action was not performed"));
        }
        try {
            T result = act.get();
            after(entry(requestId, actor, req, action, target, "succeeded"));
            return result;
        } catch (RuntimeException e) {
            after(entry(requestId, actor, req, action, target, "failed"));
            throw e;
        }
    }

    /** Records an action that could only be audited after it happened (opening the barrier opens the ledger). */
    public void afterTheFact(ServerRequest req, Actor actor, String action, String outcome) {
        try {
            ledger.get().append(entry(RequestIds.next(), actor, req, action, null, outcome));
        } catch (AuditUnavailableException | IllegalStateException e) {
            LOG.log(Level.SEVERE, action + " was performed but could not be audited: " + e.getClass().getSimpleName());
        }
    }

    private AdminEntry entry(String requestId, Actor actor, ServerRequest req, String action, String target,
                             String outcome) {
        return new AdminEntry(requestId, clock.instant(), actor, req.remotePeer().host(), action, target, null,
                List.of(), outcome);
    }

    private void after(AdminEntry entry) {
        ledger.get().appendAsync(entry).exceptionally(e -> {
            LOG.log(Level.SEVERE, "outcome of " + entry.action() + " not audited: " + e.getClass().getSimpleName());
            return -1L;
        });
    }
}
