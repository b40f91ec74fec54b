package dev.bastion.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The server's clock, moved by hand: key expiry is tested by moving time, not by waiting. */
final class ManualClock extends Clock {
    private volatile Instant now;

    ManualClock(Instant start) { this.now = start; }

    void advance(Duration d) { now = now.plus(d); }

    @Override
    public Instant instant() { return now; }

    @Override
    public long millis() { return now.toEpochMilli(); }

    @Override
    public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override
    public Clock withZone(ZoneId zone) { return this; }
}
