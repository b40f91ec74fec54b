package dev.bastion.barrier;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** Shared set-up: cheap Argon2 cost for tests (the real default costs ~0.3 s per derivation). */
final class BarrierFixtures {
    static final PassphraseKeyProvider.Argon2Params CHEAP = new PassphraseKeyProvider.Argon2Params(8 * 1024, 1, 1);
    static final String PASSPHRASE = "correct horse battery staple";

    private BarrierFixtures() {}

    static PassphraseKeyProvider passphrase(String text) {
        return new PassphraseKeyProvider(Passphrase.of(text), CHEAP);
    }

    static Barrier barrier(DataSource ds, Clock clock) {
        return Barrier.over(ds, clock, new SecureRandom(), Barrier.Options.DEFAULT);
    }

    static Barrier initialised(DataSource ds) {
        Barrier b = barrier(ds, Clock.systemUTC());
        b.initialize(passphrase(PASSPHRASE));
        return b;
    }

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(millis.get()); }
        @Override public long millis() { return millis.get(); }

        void advance(long ms) { millis.addAndGet(ms); }
    }
}
