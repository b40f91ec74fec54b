package dev.bastion.inspect;

import dev.bastion.pipeline.Key;

/** Exchange slots inspection produces (SCAN, SESSION) and reads (OBLIGATIONS, filled by the policy stage). */
public final class InspectKeys {
    private InspectKeys() {}

    /** What the request body holds, set by the inspect-input stage before policy runs. */
    public static final Key<RequestScan.Scanned> SCAN = Key.of("inspect.scan", RequestScan.Scanned.class);

    /** What policy decided about personal data; absent means the configured default obligations. */
    public static final Key<InspectionObligations> OBLIGATIONS = Key.of("inspect.obligations", InspectionObligations.class);

    /** The exchange's pseudonym session (conversation-scoped), set by the transform stage. */
    public static final Key<PseudonymSession> SESSION = Key.of("inspect.session", PseudonymSession.class);
}
