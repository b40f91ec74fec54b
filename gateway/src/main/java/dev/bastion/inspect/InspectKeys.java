package dev.bastion.inspect;

import dev.bastion.pipeline.Key;

/** Exchange slots inspection produces (SCAN, SESSION) and reads (OBLIGATIONS, filled by the policy stage). */
public final class InspectKeys {
    private InspectKeys() {}

    /** What the request body holds, set by the inspect-input stage before policy runs. */
    public static final Key<RequestScan.Scanned> SCAN = Key.of("inspect.scan", RequestScan.Scanned.class);

    /** What policy decided about personal data; absent means the configured default obligations. */
    public static final Key<InspectionObligations> OBLIGATIONS = Key.of("inspect.obligations", InspectionObligations.class);

    /** Set by the transform stage when the request passed with a PROMPT_INJECTION score at the flagging point. */
    public static final Key<Boolean> INJECTION_FLAGGED = Key.of("inspect.injection_flagged", Boolean.class);

    /** The exchange's pseudonym session (conversation-scoped), set by the transform stage. */
    public static final Key<PseudonymSession> SESSION = Key.of("inspect.session", PseudonymSession.class);

    /** Whose data new vault entries hold (set by the privacy stage when the request names subjects). */
    public static final Key<VaultOwner> VAULT_OWNER = Key.of("inspect.vault_owner", VaultOwner.class);

    /** Finding counts by entity type name (never values) from the input scan; empty when nothing was scanned. */
    public static java.util.Map<String, Integer> counts(dev.bastion.pipeline.Exchange exchange) {
        RequestScan.Scanned scan = exchange.get(SCAN);
        if (scan == null) return java.util.Map.of();
        var counts = new java.util.TreeMap<String, Integer>();
        scan.counts().forEach((type, n) -> counts.put(type.name(), n));
        // a flagged injection is what the auditor needs to see of it: that it happened, not the text
        if (Boolean.TRUE.equals(exchange.get(INJECTION_FLAGGED))) counts.put(EntityType.PROMPT_INJECTION.name(), 1);
        return counts;
    }
}
