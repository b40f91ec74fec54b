package dev.bastion.barrier;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.time.Clock;

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
}
