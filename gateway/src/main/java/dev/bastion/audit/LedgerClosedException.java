package dev.bastion.audit;

/**
 * The audit log is not open yet: its signing key is behind the barrier, which is sealed. An expected state, not a
 * fault — callers that can wait (operator attempts) keep the record in memory; the others say what was not recorded.
 */
public final class LedgerClosedException extends IllegalStateException {
    public LedgerClosedException() {
        super("the audit ledger is not open (barrier sealed)");
    }
}
