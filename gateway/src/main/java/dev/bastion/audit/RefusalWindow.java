package dev.bastion.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Flood control for unauthenticated refusals: per window, the first {@code quota} are recorded one by one; the
 * rest are counted (per error code and client address) and summarised in one {@link RefusalWindowEntry} when the
 * window ends. Counts are only cleared once their summary is handed out, and a summary that could not be appended
 * is put back, so no refusal disappears silently.
 */
final class RefusalWindow {
    private final Clock clock;
    private final Duration window;
    private final int quota;

    private Instant windowStart;
    private int individual;
    private Instant countingSince;
    private long count;
    private final Map<String, Long> byCode = new HashMap<>();
    private final Map<String, Long> byClient = new HashMap<>();
    private long otherClients;

    RefusalWindow(Clock clock, Duration window, int quota) {
        this.clock = clock;
        this.window = window;
        this.quota = quota;
    }

    /** True when this refusal should get its own entry; otherwise it has been counted. */
    synchronized boolean admit(RefusedEntry e) {
        Instant now = clock.instant();
        if (windowStart == null || !now.isBefore(windowStart.plus(window))) {
            windowStart = now;
            individual = 0;
        }
        if (!e.unauthenticated() || individual < quota) {
            if (e.unauthenticated()) individual++;
            return true;
        }
        if (count == 0) countingSince = now;
        count++;
        byCode.merge(e.errorCode(), 1L, Long::sum);
        String client = e.clientAddress() == null ? "unknown" : e.clientAddress();
        if (byClient.containsKey(client) || byClient.size() < Fields.MAX_LIST) byClient.merge(client, 1L, Long::sum);
        else otherClients++;
        return false;
    }

    /** The summary of counted refusals once the window they started in is over (or always, when forced). */
    synchronized Optional<RefusalWindowEntry> drain(boolean force) {
        Instant now = clock.instant();
        if (count == 0 || (!force && now.isBefore(countingSince.plus(window)))) return Optional.empty();
        RefusalWindowEntry entry = RefusalWindowEntry.of(now, countingSince, now, count, byCode, byClient, otherClients);
        count = 0;
        otherClients = 0;
        byCode.clear();
        byClient.clear();
        return Optional.of(entry);
    }

    /** Puts back a summary that could not be appended; it is merged into the next one. */
    synchronized void restore(RefusalWindowEntry e) {
        if (count == 0 || e.from().isBefore(countingSince)) countingSince = e.from();
        count += e.count();
        e.byErrorCode().forEach((k, v) -> byCode.merge(k, v, Long::sum));
        e.byClient().forEach((k, v) -> {
            if (byClient.containsKey(k) || byClient.size() < Fields.MAX_LIST) byClient.merge(k, v, Long::sum);
            else otherClients += v;
        });
        otherClients += e.otherClients();
    }
}
