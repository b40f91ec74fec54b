package dev.bastion.governance;

import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.audit.ModelEntry;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.store.Database;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The one way the registry changes: the step's audit entry is appended durably first (no record, no change), then
 * the change and the store's registry version bump commit in one transaction, then the change is propagated to every
 * live replica's routing cache before the caller is answered.
 */
final class RegistryWriter {
    private static final Logger LOG = Logger.getLogger(RegistryWriter.class.getName());

    private final Database db;
    private final Supplier<AuditLedger> ledger;
    private final RegistryChanges changes;
    private final Duration propagationTimeout;

    RegistryWriter(Database db, Supplier<AuditLedger> ledger, RegistryChanges changes, Duration propagationTimeout) {
        this.db = db;
        this.ledger = ledger;
        this.changes = changes;
        this.propagationTimeout = propagationTimeout;
    }

    /** A committed change and whether every live replica confirmed it in time. */
    record Committed<T>(T value, boolean propagated) {}

    <T> Committed<T> commit(ModelEntry step, Jdbc.Work<T> work) {
        try {
            ledger.get().append(step);
        } catch (AuditUnavailableException | IllegalStateException e) {
            throw new ProblemException(ErrorCode.AUDIT_UNAVAILABLE.problem(
                    "the audit log is unavailable; the registry was not changed"));
        }
        long[] version = new long[1];
        T value = Jdbc.tx(db, "registry change", c -> {
            T result = work.run(c);
            version[0] = EntryStore.bumpVersion(c);
            changes.announce(c, version[0]);
            return result;
        });
        boolean propagated = changes.propagate(version[0], propagationTimeout);
        if (!propagated) {
            LOG.warning("registry change " + version[0] + " not confirmed by every live replica within "
                    + propagationTimeout.toMillis() + " ms");
        }
        return new Committed<>(value, propagated);
    }

    static ProblemException conflict() {
        return new ProblemException(ErrorCode.REGISTRY_CONFLICT.problem(
                "the entry was changed by another request; read it again and retry"));
    }
}
