package dev.bastion.privacy;

import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.BarrierStore;
import dev.bastion.barrier.KeyProviderConfig;
import dev.bastion.store.ChangeFeed;
import dev.bastion.testing.TestStores;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** A privacy stack over a real store: an unsealed barrier (insecure-file key in a temp dir), a change feed, the registry. */
final class PrivacyFixtures implements AutoCloseable {
    final TestStores.Handle store;
    final Barrier barrier;
    final ChangeFeed feed;
    final SubjectKeys keys;
    final BarrierStore records;
    final PrivacyStore privacy;
    final SubjectTokens tokens;
    final ConsentRegistry registry;
    private final Path keyDir;

    PrivacyFixtures(TestStores.Handle store, Clock clock) throws Exception {
        this(store, clock, Files.createTempDirectory("bastion-privacy-key"));
    }

    /** A second replica over the same store shares the key directory of the first. */
    PrivacyFixtures(TestStores.Handle store, Clock clock, Path keyDir) {
        this.store = store;
        this.keyDir = keyDir;
        this.barrier = Barrier.start(store.db(), KeyProviderConfig.autoProvider(Map.of("provider", "insecure-file"), keyDir));
        this.feed = ChangeFeed.start(store.db(), new ChangeFeed.Settings(Duration.ofMillis(50), Duration.ofMillis(200),
                Duration.ofSeconds(2)));
        this.keys = SubjectKeys.of(barrier);
        this.privacy = new PrivacyStore(store.db());
        this.tokens = new SubjectTokens(keys, privacy, clock);
        this.records = BarrierStore.over(store.db(), barrier, clock);
        this.registry = new ConsentRegistry(privacy, tokens, records, feed, clock);
    }

    PrivacyFixtures replica(Clock clock) { return new PrivacyFixtures(store, clock, keyDir); }

    @Override
    public void close() {
        feed.close();
        barrier.seal();
    }
}
