package dev.bastion.quota;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/** What a limit counts and over which window (fixed UTC windows: the minute, the day, the calendar month). */
public enum Metric {
    REQUESTS_PER_MINUTE("requests-per-minute", Window.MINUTE, Unit.REQUESTS),
    TOKENS_PER_MINUTE("tokens-per-minute", Window.MINUTE, Unit.TOKENS),
    TOKENS_PER_DAY("tokens-per-day", Window.DAY, Unit.TOKENS),
    TOKENS_PER_MONTH("tokens-per-month", Window.MONTH, Unit.TOKENS),
    COST_PER_DAY("cost-per-day", Window.DAY, Unit.COST),
    COST_PER_MONTH("cost-per-month", Window.MONTH, Unit.COST);

    enum Window { MINUTE, DAY, MONTH }

    /** Requests; tokens; cost in micro-units of the configured currency. */
    enum Unit { REQUESTS, TOKENS, COST }

    private final String key;
    final Window window;
    final Unit unit;

    Metric(String key, Window window, Unit unit) {
        this.key = key;
        this.window = window;
        this.unit = unit;
    }

    /** The configuration key ({@code tokens-per-day}). */
    public String key() { return key; }

    /** A per-minute limit is a rate limit; the others are budgets (different error codes). */
    public boolean isRate() { return window == Window.MINUTE; }

    /** Start of the window holding {@code t}, epoch seconds. */
    long windowStart(Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        return switch (window) {
            case MINUTE -> z.truncatedTo(ChronoUnit.MINUTES).toEpochSecond();
            case DAY -> z.truncatedTo(ChronoUnit.DAYS).toEpochSecond();
            case MONTH -> z.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toEpochSecond();
        };
    }

    /** Seconds from {@code t} until the next window begins (at least 1): what {@code Retry-After} says. */
    long secondsToNextWindow(Instant t) {
        ZonedDateTime start = Instant.ofEpochSecond(windowStart(t)).atZone(ZoneOffset.UTC);
        ZonedDateTime next = switch (window) {
            case MINUTE -> start.plusMinutes(1);
            case DAY -> start.plusDays(1);
            case MONTH -> start.plusMonths(1);
        };
        return Math.max(1, next.toEpochSecond() - t.getEpochSecond());
    }
}
