package dev.bastion.api;

import dev.bastion.audit.Actor;
import dev.bastion.audit.AdminEntry;
import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The operator's doors that take no API key ({@code init}, {@code unseal}): every attempt is rate-limited (a token
 * bucket shared by all callers — a passphrase guess costs the guesser, not the log) and recorded truthfully in the
 * audit log as what it was (succeeded, failed, refused, throttled) and who it came from. While the barrier is sealed
 * the log cannot be written (its signing key is behind the barrier), so attempts are kept in memory — a bounded
 * number individually, the rest counted — and written as soon as the log opens.
 */
public final class OperatorAttempts {
    private static final Logger LOG = Logger.getLogger(OperatorAttempts.class.getName());
    /** Attempts kept individually while the log is closed; more are counted. */
    static final int MAX_PENDING = 256;
    /** Nobody authenticated: the caller is only an address. */
    static final Actor ANONYMOUS = Actor.of("unauthenticated", List.of(), "none");

    private record Attempt(Instant time, Actor actor, String client, String action, String target, String outcome) {}

    private final Clock clock;
    private final int burst;
    private final Duration refill;
    private final Supplier<AuditLedger> ledger;
    private final BooleanSupplier ledgerOpen;
    private final ArrayDeque<Attempt> pending = new ArrayDeque<>();
    /** action → outcome → attempts not kept individually (throttled, or beyond MAX_PENDING). */
    private final Map<String, Map<String, Long>> counted = new LinkedHashMap<>();
    private double tokens;
    private Instant lastRefill;

    /**
     * @param burst  attempts allowed at once
     * @param refill time for one more attempt to be allowed
     */
    public OperatorAttempts(Clock clock, int burst, Duration refill, Supplier<AuditLedger> ledger,
                            BooleanSupplier ledgerOpen) {
        this.clock = clock;
        this.burst = burst;
        this.refill = refill;
        this.ledger = ledger;
        this.ledgerOpen = ledgerOpen;
        this.tokens = burst;
        this.lastRefill = clock.instant();
    }

    /** Takes one attempt from the budget, or refuses with 429 {@code too_many_attempts} (counted for the log). */
    public void admit(String action, String client) {
        synchronized (this) {
            Instant now = clock.instant();
            double gained = (double) Duration.between(lastRefill, now).toNanos() / refill.toNanos();
            if (gained > 0) {
                tokens = Math.min(burst, tokens + gained);
                lastRefill = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return;
            }
            count(action, "throttled");
        }
        long wait = Math.max(1, refill.toSeconds());
        throw new ProblemException(ErrorCode.TOO_MANY_ATTEMPTS.problem(
                "too many operator attempts; try again later").withDetail("retry_after", Long.toString(wait)));
    }

    /** Records how an admitted attempt ended; written to the log now if it is open, else when it opens. */
    public void record(String action, Actor actor, String client, String outcome, String target) {
        synchronized (this) {
            if (pending.size() < MAX_PENDING) {
                pending.add(new Attempt(clock.instant(), actor, client, action, target, outcome));
            } else {
                count(action, outcome);
            }
        }
        flush();
    }

    /** Writes what is waiting, if the log is open. Called after each attempt and when the barrier opens. */
    public void flush() {
        if (!ledgerOpen.getAsBoolean()) return;
        List<Attempt> batch;
        synchronized (this) {
            batch = new ArrayList<>(pending);
            pending.clear();
            counted.forEach((action, byOutcome) -> byOutcome.forEach((outcome, n) -> batch.add(new Attempt(
                    clock.instant(), ANONYMOUS, null, action, "attempts:" + n, outcome))));
            counted.clear();
        }
        AuditLedger l = ledger.get();
        for (Attempt a : batch) {
            try {
                l.append(new AdminEntry(RequestIds.next(), a.time(), a.actor(), a.client(), a.action(), a.target(),
                        null, List.of(), a.outcome()));
            } catch (AuditUnavailableException | RuntimeException e) {
                LOG.severe(a.action() + " attempt (" + a.outcome() + ") could not be audited: "
                        + e.getClass().getSimpleName());
            }
        }
    }

    private void count(String action, String outcome) {
        counted.computeIfAbsent(action, k -> new LinkedHashMap<>()).merge(outcome, 1L, Long::sum);
    }
}
