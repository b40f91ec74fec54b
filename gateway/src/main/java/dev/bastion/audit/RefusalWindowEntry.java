package dev.bastion.audit;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;

/**
 * {@code bastion.audit.refused-window/v1}: unauthenticated refusals beyond the per-window quota, counted instead
 * of recorded one by one — per error code and per client address (the busiest {@value Fields#MAX_LIST}; the rest
 * summed in {@code otherClients}). Nothing is dropped: {@code count} is every refusal in the window not recorded
 * individually.
 */
public record RefusalWindowEntry(Instant time, Instant from, Instant to, long count,
                                 SortedMap<String, Long> byErrorCode, SortedMap<String, Long> byClient,
                                 long otherClients) implements AuditEntry {
    public static final String KIND = "bastion.audit.refused-window/v1";

    public RefusalWindowEntry {
        if (time == null || from == null || to == null) throw new IllegalArgumentException("times are required");
        Fields.nonNegative("count", count);
        byErrorCode = Fields.counts("by_code", byErrorCode);
        byClient = Fields.counts("by_client", byClient);
        Fields.nonNegative("other_clients", otherClients);
    }

    static RefusalWindowEntry of(Instant time, Instant from, Instant to, long count, Map<String, Long> byCode,
                                 Map<String, Long> byClient, long other) {
        return new RefusalWindowEntry(time, from, to, count, Fields.counts("by_code", byCode),
                Fields.counts("by_client", byClient), other);
    }

    @Override
    public String kind() { return KIND; }
}
