package dev.bastion.quota;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rate limits and budgets, shared by every replica through the store and cheap per request: each replica leases a
 * slice of a counter's remaining room (a twentieth of the limit, less when little is left) and admits requests
 * against it in memory. The store grants a lease only while the total leased stays within the limit, so replicas
 * together never admit more than the limit; a request that uses more than it reserved adds the difference, so the
 * overrun is at most one request's underestimate. Unused lease returns after a second of idleness. Settled usage
 * is written in batches by {@link #flush()}, which also reports 80 % and 100 % crossings once across replicas.
 */
public final class QuotaService {
    private static final Logger LOG = Logger.getLogger(QuotaService.class.getName());
    private static final long IDLE_NANOS = 1_000_000_000L;
    static final int[] THRESHOLDS = {80, 100};

    /** Told once per counter, window and threshold, across replicas. */
    @FunctionalInterface
    public interface ThresholdListener {
        void crossed(String rule, Metric metric, String scopeToken, long windowStart, int threshold, long limit, long used);
    }

    private volatile QuotaSettings settings;
    private final QuotaStore store;
    private final Function<String, byte[]> scopeHash;
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final ThresholdListener thresholds;
    private final Map<CounterId, Lease> leases = new ConcurrentHashMap<>();
    private final Map<Pending, Long> pendingUse = new ConcurrentHashMap<>();
    /** Scope value → hash token; a keyed hash costs microseconds, and the same callers come back. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    private record Pending(CounterId id, long window) {}

    /**
     * @param scopeHash keyed hash of a scope value, so the store never holds key ids, principals or teams in clear
     */
    public QuotaService(dev.bastion.store.Database db, QuotaSettings settings, Function<String, byte[]> scopeHash,
                        Clock clock, ThresholdListener thresholds) {
        this(new QuotaStore(db), settings, scopeHash, clock, System::nanoTime, thresholds);
    }

    QuotaService(QuotaStore store, QuotaSettings settings, Function<String, byte[]> scopeHash, Clock clock,
                 LongSupplier nanoClock, ThresholdListener thresholds) {
        this.store = store;
        this.settings = settings;
        this.scopeHash = scopeHash;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.thresholds = thresholds;
    }

    public QuotaSettings settings() { return settings; }

    /** Takes effect for requests admitted from now on. */
    public void settings(QuotaSettings s) { this.settings = s; }

    /** Reserves room for a request in every limit that applies, or names the first limit without room. */
    public Admission admit(QuotaRequest request) {
        QuotaSettings s = settings;
        if (s.isEmpty()) return new Admission.Admitted(Admission.Ticket.NONE);
        Instant now = clock.instant();
        long nanos = nanoClock.getAsLong();
        QuotaSettings.Price price = s.prices().get(request.model());
        List<Admission.Reservation> taken = new ArrayList<>();
        for (QuotaRule rule : s.rules()) {
            String scope = request.scopeValue(rule.scope());
            if (scope == null) continue;
            String token = null;
            for (var limit : rule.limits().entrySet()) {
                Metric metric = limit.getKey();
                long amount = amount(metric, request.promptTokens(), request.completionTokens(), price);
                if (amount == 0 && metric.unit != Metric.Unit.REQUESTS) continue;
                if (token == null) token = token(scope);
                CounterId id = new CounterId(rule.name(), metric, token);
                Lease lease = leases.computeIfAbsent(id, Lease::new);
                long window = metric.windowStart(now);
                long chunk = Math.max(1, limit.getValue() / 20);
                if (!lease.take(store, window, amount, limit.getValue(), chunk, nanos)) {
                    for (Admission.Reservation r : taken) r.lease().untake(r.window(), r.amount());
                    return new Admission.Refused(rule.name(), metric, metric.secondsToNextWindow(now));
                }
                taken.add(new Admission.Reservation(lease, metric, window, amount));
            }
        }
        return new Admission.Admitted(new Admission.Ticket(request.model(), taken));
    }

    /**
     * Replaces the reservations by what the request used; token counts of -1 (unknown) keep the reservation.
     *
     * @param answered whether a backend produced (part of) an answer; without one no tokens are charged
     */
    public void settle(Admission.Ticket ticket, long promptTokens, long completionTokens, boolean answered) {
        if (ticket.reservations().isEmpty()) return;
        QuotaSettings.Price price = settings.prices().get(ticket.model());
        boolean known = promptTokens >= 0 && completionTokens >= 0;
        for (Admission.Reservation r : ticket.reservations()) {
            long actual;
            if (r.metric().unit == Metric.Unit.REQUESTS) actual = r.amount();
            else if (!answered) actual = 0;
            else if (!known) actual = r.amount();
            else actual = amount(r.metric(), promptTokens, completionTokens, price);
            r.lease().settle(store, r.window(), r.amount(), actual);
            pendingUse.merge(new Pending(r.lease().id(), r.window()), actual, Long::sum);
        }
    }

    /** Writes settled usage, reports threshold crossings, returns idle leases. Called every few hundred ms. */
    public void flush() {
        long now = nanoClock.getAsLong();
        for (Pending p : List.copyOf(pendingUse.keySet())) {
            Long delta = pendingUse.remove(p);
            if (delta == null || delta == 0) continue;
            try {
                long[] r = store.addUsed(p.id(), p.window(), delta);
                for (int t : THRESHOLDS) {
                    long mark = (long) Math.ceil(r[2] * (t / 100.0));
                    if (r[2] > 0 && r[0] < mark && r[1] >= mark && store.firstAlert(p.id(), p.window(), t)) {
                        thresholds.crossed(p.id().rule(), p.id().metric(), p.id().scopeToken(), p.window(), t, r[2], r[1]);
                    }
                }
            } catch (RuntimeException e) {
                pendingUse.merge(p, delta, Long::sum); // try again next time
                LOG.log(Level.WARNING, "quota usage not written yet: " + e.getClass().getSimpleName());
            }
        }
        for (Lease lease : leases.values()) {
            try {
                lease.returnIfIdle(store, now, IDLE_NANOS);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "idle quota lease not returned yet: " + e.getClass().getSimpleName());
            }
        }
    }

    /** The budget state: every counter of the current windows (scope values appear only as their hash tokens). */
    public List<CounterState> state() {
        Instant now = clock.instant();
        return store.since(Metric.TOKENS_PER_MONTH.windowStart(now)).stream()
                .filter(row -> {
                    for (Metric m : Metric.values()) {
                        if (m.key().equals(row.metric())) return row.windowStart() == m.windowStart(now);
                    }
                    return false;
                }).toList();
    }

    private volatile List<CounterState> cachedState = List.of();
    private volatile long cachedAt = Long.MIN_VALUE;

    /**
     * The highest used/limit ratio among the current window's counters of one rule and limit, for {@code /metrics}
     * (the state is read from the store at most once a second).
     */
    public double utilisation(String rule, Metric metric) {
        long now = nanoClock.getAsLong();
        if (cachedAt == Long.MIN_VALUE || now - cachedAt > 1_000_000_000L) {
            cachedState = state();
            cachedAt = now;
        }
        double max = 0;
        for (CounterState c : cachedState) {
            if (c.rule().equals(rule) && c.metric().equals(metric.key()) && c.limit() > 0) {
                max = Math.max(max, (double) c.used() / c.limit());
            }
        }
        return max;
    }

    /** The hash token a scope value is counted under (for looking up one caller's counters). */
    public String token(String scopeValue) {
        String t = tokens.get(scopeValue);
        if (t == null) {
            t = HexFormat.of().formatHex(scopeHash.apply(scopeValue), 0, 16);
            if (tokens.size() > 100_000) tokens.clear(); // bounded: many distinct callers only cost recomputation
            tokens.put(scopeValue, t);
        }
        return t;
    }

    /** The counters of the current windows this request would be counted under (a caller's own budget state). */
    public List<CounterState> stateFor(QuotaRequest request) {
        java.util.Set<String> mine = new java.util.HashSet<>();
        for (QuotaRule rule : settings.rules()) {
            String scope = request.scopeValue(rule.scope());
            if (scope == null) continue;
            for (Metric m : rule.limits().keySet()) mine.add(new CounterId(rule.name(), m, token(scope)).key());
        }
        return state().stream().filter(c -> mine.contains(c.counterKey())).toList();
    }

    private static long amount(Metric metric, long prompt, long completion, QuotaSettings.Price price) {
        return switch (metric.unit) {
            case REQUESTS -> 1;
            case TOKENS -> Math.max(0, prompt) + Math.max(0, completion);
            case COST -> price == null ? 0 : price.cost(prompt, completion);
        };
    }
}
