package dev.bastion.investigate;

import dev.bastion.audit.RequestEntry;

import java.time.Instant;

/** Request entries for tests outside this package (times from {@code t0}, one second apart). */
public final class AuditSearchTestEntries {
    private AuditSearchTestEntries() {}

    public static RequestEntry at(Instant t0, int i) {
        RequestEntry e = AuditSearchTest.entry(i);
        return RequestEntry.builder(e.requestId(), t0.plusSeconds(i)).principal(e.principal()).action(e.action())
                .model(e.model()).purpose(e.purpose()).subjects(e.subjects()).decision(e.decision())
                .findings(e.findings()).build();
    }
}
