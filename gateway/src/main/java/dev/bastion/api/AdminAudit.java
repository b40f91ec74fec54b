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
import java.util.function.Function;
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
        return audited(req, who, action, target, act, result -> Result.SUCCEEDED);
    }

    /**
     * How an action that returned normally ended, for its outcome record: a word ({@code succeeded},
     * {@code unchanged}, {@code rejected}) and, for policy changes, the digest of the policy in force afterwards.
     */
    public record Result(String outcome, String policyDigest) {
        static final Result SUCCEEDED = new Result("succeeded", null);
    }

    /** As {@link #audited(ServerRequest, Principal, String, String, Supplier)}, with the outcome read from the result. */
    public <T> T audited(ServerRequest req, Principal who, String action, String target, Supplier<T> act,
                         Function<? super T, Result> outcome) {
        String requestId = RequestIds.next();
        Actor actor = Actor.of(who);
        try {
            ledger.get().append(entry(requestId, actor, req, action, target, null, "requested"));
        } catch (AuditUnavailableException | IllegalStateException e) {
            throw new ProblemException(ErrorCode.AUDIT_UNAVAILABLE.problem(
                    "the audit log is unavailable; the action was not performed"));
        }
        try {
            T result = act.get();
            Result r = outcome.apply(result);
            after(entry(requestId, actor, req, action, target, r.policyDigest(), r.outcome()));
            return result;
        } catch (RuntimeException e) {
            after(entry(requestId, actor, req, action, target, null, "failed"));
            throw e;
        }
    }

    /** Records an action nobody requested over HTTP (a policy file changed on disk), after it happened. */
    public void system(Actor actor, String action, String target, Result result) {
        try {
            ledger.get().append(new AdminEntry(RequestIds.next(), clock.instant(), actor, null, action, target,
                    result.policyDigest(), List.of(), result.outcome()));
        } catch (AuditUnavailableException | IllegalStateException e) {
            LOG.log(Level.SEVERE, action + " happened but could not be audited: " + e.getClass().getSimpleName());
        }
    }

    /** Records an action that could only be audited after it happened (opening the barrier opens the ledger). */
    public void afterTheFact(ServerRequest req, Actor actor, String action, String outcome) {
        try {
            ledger.get().append(entry(RequestIds.next(), actor, req, action, null, null, outcome));
        } catch (AuditUnavailableException | IllegalStateException e) {
            LOG.log(Level.SEVERE, action + " was performed but could not be audited: " + e.getClass().getSimpleName());
        }
    }

    private AdminEntry entry(String requestId, Actor actor, ServerRequest req, String action, String target,
                             String policyDigest, String outcome) {
        return new AdminEntry(requestId, clock.instant(), actor, req.remotePeer().host(), action, target, policyDigest,
                List.of(), outcome);
    }

    private void after(AdminEntry entry) {
        ledger.get().appendAsync(entry).exceptionally(e -> {
            LOG.log(Level.SEVERE, "outcome of " + entry.action() + " not audited: " + e.getClass().getSimpleName());
            return -1L;
        });
    }
}
