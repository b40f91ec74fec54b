package dev.bastion.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, so expiry, TTLs and key timing are tested by moving time rather than waiting. */
public final class ManualClock extends Clock {
    private volatile Instant now;

    public ManualClock(Instant start) { this.now = start; }

    public void advance(Duration d) { now = now.plus(d); }

    public void set(Instant t) { now = t; }

    @Override
    public Instant instant() { return now; }

    @Override
    public long millis() { return now.toEpochMilli(); }

    @Override
    public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override
    public Clock withZone(ZoneId zone) { return this; }
}
