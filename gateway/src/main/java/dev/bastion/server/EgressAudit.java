package dev.bastion.server;

import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.audit.EgressManifestEntry;
import dev.bastion.audit.LedgerRef;
import dev.bastion.egress.EgressGate;
import dev.bastion.egress.EgressManifest;

import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

/**
 * Writes the egress manifest to the audit log: durably once everything is wired and the ledger is open (a server
 * whose manifest cannot be recorded does not start), then after every change of the declarations.
 */
final class EgressAudit {
    private static final Logger LOG = Logger.getLogger(EgressAudit.class.getName());
    private final EgressGate gate;
    private final LedgerRef ledger;
    private final Clock clock;
    private boolean written;

    EgressAudit(EgressGate gate, LedgerRef ledger, Clock clock) {
        this.gate = gate;
        this.ledger = ledger;
        this.clock = clock;
        gate.onChange(this::changed);
    }

    /** Appends the start manifest if the ledger is open and it was not written yet; idempotent. */
    synchronized void start() {
        if (written || !ledger.isOpen()) return;
        try {
            ledger.get().append(entry(gate.manifest(), "start"));
            written = true;
        } catch (AuditUnavailableException e) {
            throw new IllegalStateException("the egress manifest could not be written to the audit log", e);
        }
    }

    private synchronized void changed(EgressManifest m) {
        if (!written) return; // the start manifest, still to come, will hold this change
        ledger.get().appendAsync(entry(m, "change")).exceptionally(e -> {
            LOG.severe("egress manifest change not recorded: " + e.getClass().getSimpleName());
            return -1L;
        });
    }

    private EgressManifestEntry entry(EgressManifest m, String reason) {
        List<EgressManifestEntry.Destination> lines = m.destinations().stream()
                .map(l -> new EgressManifestEntry.Destination(l.destination().purpose(), l.destination().scheme(),
                        l.destination().host(), l.destination().port(), l.allowed()))
                .toList();
        String mode = m.mode() == EgressGate.Mode.DECLARED ? "declared" : "allow-list";
        return new EgressManifestEntry(clock.instant(), reason, mode, m.version(), m.allow(), lines);
    }
}
