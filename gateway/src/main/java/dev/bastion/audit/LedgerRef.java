package dev.bastion.audit;

import java.util.function.Supplier;

/**
 * The ledger once it is open. Its signing key lives behind the storage barrier, so a server that starts sealed
 * opens the ledger only when the barrier opens; until then nothing reaches the stages that need it (the seal gate
 * refuses every request first), and {@link #get()} refuses loudly rather than skip an audit record.
 */
public final class LedgerRef implements Supplier<AuditLedger>, AutoCloseable {
    private volatile AuditLedger ledger;

    /** Opens the ledger unless already open. */
    public synchronized AuditLedger open(Supplier<AuditLedger> opener) {
        if (ledger == null) ledger = opener.get();
        return ledger;
    }

    public boolean isOpen() { return ledger != null; }

    @Override
    public AuditLedger get() {
        AuditLedger l = ledger;
        if (l == null) throw new LedgerClosedException();
        return l;
    }

    @Override
    public synchronized void close() {
        if (ledger != null) ledger.close();
    }
}
