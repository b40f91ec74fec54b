package dev.bastion.cli;

import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.KeyProviderConfig;
import dev.bastion.barrier.Passphrase;
import dev.bastion.config.BastionConfig;
import dev.bastion.store.Database;

import java.io.Console;

/**
 * Opens the storage barrier for a command that works on the store directly (no server involved): self-unsealing
 * providers open it as the server does; with the passphrase provider the passphrase comes from
 * {@code $BASTION_PASSPHRASE} or the terminal.
 */
final class OfflineBarrier {
    private OfflineBarrier() {}

    static Barrier open(Database db, BastionConfig cfg) {
        var section = cfg.barrier().section();
        Barrier barrier = Barrier.start(db, KeyProviderConfig.autoProvider(section, cfg.dataDir()));
        if (!barrier.isSealed()) return barrier;
        if (barrier.status().state() == Barrier.State.UNINITIALIZED) {
            throw new IllegalStateException("the barrier is not initialised yet: start the server and run 'bastion operator init'");
        }
        try (Passphrase p = passphrase()) {
            barrier.unseal(KeyProviderConfig.passphrase(section, p));
        }
        return barrier;
    }

    static Passphrase passphrase() {
        String env = System.getenv("BASTION_PASSPHRASE");
        if (env != null && !env.isEmpty()) return Passphrase.of(env);
        Console console = System.console();
        if (console == null) {
            throw new IllegalStateException("the barrier is sealed: set BASTION_PASSPHRASE or run from a terminal");
        }
        char[] chars = console.readPassword("Barrier passphrase: ");
        if (chars == null) throw new IllegalStateException("no passphrase given");
        return Passphrase.of(chars);
    }
}
