package dev.bastion.audit;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes {@code bastion.audit.admin/v1} records: durably before an action ({@link #requested}), asynchronously
 * after it ({@link #outcome}), and after the fact for the few actions that cannot be recorded before
 * ({@link #afterTheFact}: opening the barrier opens the ledger; a policy file changed on disk).
 */
public final class AdminLog {
    private static final Logger LOG = Logger.getLogger(AdminLog.class.getName());

    private final Supplier<AuditLedger> ledger;
    private final Clock clock;

    public AdminLog(Supplier<AuditLedger> ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Durably records that {@code action} was requested; its leaf index. No record, no action. */
    public long requested(String requestId, Actor actor, String client, String action, String target)
            throws AuditUnavailableException {
        try {
            return ledger.get().append(entry(requestId, actor, client, action, target, null, "requested"));
        } catch (LedgerClosedException e) {
            throw new AuditUnavailableException("the audit ledger is not open", e);
        }
    }

    /** Records how a requested action ended; the answer does not wait for it. */
    public void outcome(String requestId, Actor actor, String client, String action, String target,
                        String policyDigest, String outcome) {
        AdminEntry e = entry(requestId, actor, client, action, target, policyDigest, outcome);
        try {
            ledger.get().appendAsync(e).exceptionally(x -> {
                LOG.log(Level.SEVERE, "outcome of " + action + " not audited: " + x.getClass().getSimpleName());
                return -1L;
            });
        } catch (RuntimeException x) {
            LOG.log(Level.SEVERE, "outcome of " + action + " not audited: " + x.getClass().getSimpleName());
        }
    }

    /** Records an action that could only be audited after it happened. Never throws: the action is done. */
    public void afterTheFact(String requestId, Actor actor, String client, String action, String target,
                             String policyDigest, String outcome) {
        try {
            ledger.get().append(entry(requestId, actor, client, action, target, policyDigest, outcome));
        } catch (AuditUnavailableException | RuntimeException e) {
            LOG.log(Level.SEVERE, action + " happened but could not be audited: " + e.getClass().getSimpleName());
        }
    }

    private AdminEntry entry(String requestId, Actor actor, String client, String action, String target,
                             String policyDigest, String outcome) {
        return new AdminEntry(requestId, clock.instant(), actor, client != null && AuditEntry.isValidLabel(client)
                ? client : null, action, target, policyDigest, List.of(), outcome);
    }
}
