package dev.bastion.governance;

import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.audit.ModelEntry;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.store.ChangeFeed;
import dev.bastion.store.Database;

import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The one way the registry changes: the step's audit entry is appended durably first (no record, no change), then
 * the change commits in one transaction with the registry's change-feed version, then the writer waits until every
 * live replica has applied it (or has stopped being fresh) before the caller is answered.
 */
final class RegistryWriter {
    private static final Logger LOG = Logger.getLogger(RegistryWriter.class.getName());

    private final Database db;
    private final Supplier<AuditLedger> ledger;
    private final ChangeFeed feed;

    RegistryWriter(Database db, Supplier<AuditLedger> ledger, ChangeFeed feed) {
        this.db = db;
        this.ledger = ledger;
        this.feed = feed;
    }

    /** A committed change and whether every live replica confirmed it. */
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
            version[0] = feed.publish(c, RoutingGate.TOPIC);
            return result;
        });
        ChangeFeed.Propagation p = feed.awaitApplied(RoutingGate.TOPIC, version[0]);
        if (!p.confirmed()) {
            LOG.warning("registry change " + version[0] + " not confirmed by " + p.lagging().size()
                    + " replica(s); they are no longer fresh and refuse model requests until they catch up");
        }
        return new Committed<>(value, p.confirmed());
    }

    static ProblemException conflict() {
        return new ProblemException(ErrorCode.REGISTRY_CONFLICT.problem(
                "the entry was changed by another request; read it again and retry"));
    }
}
