package dev.bastion.audit;

/** Realistic sample entries for tests outside this package. */
public final class AuditEntries {
    private AuditEntries() {}

    public static RequestEntry sample(String requestId) {
        return AuditEntryTest.request(requestId);
    }
}
