package dev.bastion.store;

import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ChangeFeedTest {
    private static final ChangeFeed.Settings FAST =
            new ChangeFeed.Settings(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMillis(600));

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aConfirmedChangeWasAppliedByEveryReplicaBeforeTheWriterReturns(StoreConfig.Kind kind) {
        try (var store = TestStores.open(kind);
             var writer = ChangeFeed.start(store.db(), FAST);
             var other = ChangeFeed.start(store.db(), FAST)) {
            AtomicLong seenByOther = new AtomicLong();
            AtomicLong seenByWriter = new AtomicLong();
            other.subscribe("models", seenByOther::set);
            writer.subscribe("models", seenByWriter::set);

            long v = writer.publish("models");
            ChangeFeed.Propagation p = writer.awaitApplied("models", v);

            assertThat(p.confirmed()).isTrue();
            assertThat(p.appliedBy()).isEqualTo(2);
            // confirmation means applied: no waiting needed after the writer returns
            assertThat(seenByOther.get()).isEqualTo(v);
            assertThat(seenByWriter.get()).isEqualTo(v);
            assertThat(other.applied("models")).isEqualTo(v);
            assertThat(other.isFresh()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void theVersionCommitsWithTheWritersTransactionOrNotAtAll(StoreConfig.Kind kind) throws Exception {
        try (var store = TestStores.open(kind); var feed = ChangeFeed.start(store.db(), FAST)) {
            AtomicLong seen = new AtomicLong();
            feed.subscribe("consent", seen::set);
            try (Connection c = store.db().connection()) {
                c.setAutoCommit(false);
                feed.publish(c, "consent");
                c.rollback();
            }
            long v = feed.publish("consent");
            assertThat(v).isEqualTo(1);
            assertThat(feed.awaitApplied("consent", v).confirmed()).isTrue();
            assertThat(seen.get()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aReplicaWhoseCacheCannotReloadStopsBeingFreshAndTheWriterIsToldItLags(StoreConfig.Kind kind) {
        try (var store = TestStores.open(kind);
             var writer = ChangeFeed.start(store.db(), FAST);
             var broken = ChangeFeed.start(store.db(), FAST)) {
            AtomicBoolean fail = new AtomicBoolean(true);
            AtomicLong seen = new AtomicLong();
            broken.subscribe("policy", v -> {
                if (fail.get()) throw new IllegalStateException("reload failed");
                seen.set(v);
            });

            long v = writer.publish("policy");
            ChangeFeed.Propagation p = writer.awaitApplied("policy", v);

            assertThat(p.confirmed()).isFalse();
            assertThat(p.lagging()).containsExactly(broken.replicaId());
            // by the time the writer gives up, the lagging replica no longer calls itself fresh (fail closed)
            assertThat(broken.isFresh()).isFalse();

            fail.set(false);
            await().atMost(Duration.ofSeconds(5)).until(broken::isFresh);
            assertThat(seen.get()).isEqualTo(v);
            assertThat(writer.awaitApplied("policy", v).confirmed()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aReplicaThatLeftIsNotWaitedFor(StoreConfig.Kind kind) {
        try (var store = TestStores.open(kind); var writer = ChangeFeed.start(store.db(), FAST)) {
            ChangeFeed.start(store.db(), FAST).close();
            long v = writer.publish("keys");
            ChangeFeed.Propagation p = writer.awaitApplied("keys", v);
            assertThat(p.confirmed()).isTrue();
            assertThat(p.appliedBy()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aReplicaThatStartsLaterTakesTheCurrentVersionsAsApplied(StoreConfig.Kind kind) {
        try (var store = TestStores.open(kind); var writer = ChangeFeed.start(store.db(), FAST)) {
            long v = writer.publish("models");
            try (var late = ChangeFeed.start(store.db(), FAST)) {
                assertThat(late.applied("models")).isEqualTo(v);
                assertThat(writer.awaitApplied("models", v).appliedBy()).isEqualTo(2);
            }
        }
    }
}
