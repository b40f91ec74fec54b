package dev.bastion.policy;

import dev.bastion.store.ChangeFeed;
import dev.bastion.store.Database;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The policy as shared state: two replicas (two change feeds, two holders) on one store. The seed becomes version 1
 * once; a change is running on every replica when its writer returns; every version keeps its text, digest, author
 * and time; an unchanged text writes nothing, an invalid one writes nothing and keeps the running policy; a stale
 * {@code expected_version} is a conflict; a replica that cannot run the latest version stops being fresh.
 */
class PolicyStoreTest {
    private static final ChangeFeed.Settings FAST =
            new ChangeFeed.Settings(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMillis(600));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T20:00:00Z"), ZoneOffset.UTC);
    private static final String CAPPED = Policy.defaultText() + """

              - id: cap-tokens
                effect: obligate
                roles: ["*"]
                actions: [model.invoke]
                obligations: {max_tokens: 64}
            """;

    record Replica(ChangeFeed feed, PolicyHolder holder, PolicyStore store) implements AutoCloseable {
        static Replica open(Database db) {
            ChangeFeed feed = ChangeFeed.start(db, FAST);
            PolicyHolder holder = PolicyHolder.of(Policy.loadDefault());
            return new Replica(feed, holder, PolicyStore.open(db, feed, holder, Policy.defaultText(), CLOCK));
        }

        @Override
        public void close() { feed.close(); }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aWriteRunsOnEveryReplicaWhenItsWriterReturnsAndEveryVersionIsKept(StoreConfig.Kind kind) throws Exception {
        try (var s = TestStores.open(kind); var a = Replica.open(s.db()); var b = Replica.open(s.db())) {
            assertThat(a.store.versions(Long.MAX_VALUE, 10)).as("the seed is version 1, once").hasSize(1);
            assertThat(a.holder.version()).isEqualTo(1);
            assertThat(b.holder.version()).isEqualTo(1);
            String seedDigest = a.holder.current().digest();

            PolicyStore.Change change = a.store.write(CAPPED, "key:alice", "edit", "cap tokens", 1L);
            assertThat(change.result()).isInstanceOf(ReloadResult.Applied.class);
            assertThat(change.version()).isEqualTo(2);
            assertThat(change.propagation().confirmed()).isTrue();
            assertThat(change.propagation().appliedBy()).isEqualTo(2);
            // confirmed means running: no waiting on the other replica
            assertThat(b.holder.version()).isEqualTo(2);
            assertThat(b.holder.current().digest()).isEqualTo(Policy.digest(CAPPED)).isNotEqualTo(seedDigest);

            var versions = b.store.versions(Long.MAX_VALUE, 10);
            assertThat(versions).extracting(PolicyStore.Version::version).containsExactly(2L, 1L);
            PolicyStore.Version v2 = versions.getFirst();
            assertThat(v2.author()).isEqualTo("key:alice");
            assertThat(v2.source()).isEqualTo("edit");
            assertThat(v2.comment()).isEqualTo("cap tokens");
            assertThat(v2.createdAt()).isEqualTo(CLOCK.instant());
            assertThat(v2.digest()).isEqualTo(Policy.digest(CAPPED));
            assertThat(versions.get(1).author()).isEqualTo("system:seed");
            assertThat(b.store.get(2).orElseThrow().text()).isEqualTo(CAPPED);
            assertThat(b.store.get(1).orElseThrow().text()).isEqualTo(Policy.defaultText());
            assertThat(b.store.versions(2, 10)).extracting(PolicyStore.Version::version).containsExactly(1L);

            // a rollback is a new version with the old text
            PolicyStore.Change back = b.store.write(b.store.get(1).orElseThrow().text(), "key:bob", "rollback:1", null, null);
            assertThat(back.version()).isEqualTo(3);
            assertThat(a.holder.current().digest()).isEqualTo(seedDigest);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void unchangedOrInvalidTextWritesNoVersionAndAStaleExpectedVersionConflicts(StoreConfig.Kind kind) {
        try (var s = TestStores.open(kind); var a = Replica.open(s.db())) {
            assertThat(a.store.write(Policy.defaultText(), "key:alice", "edit", null, null).result())
                    .isInstanceOf(ReloadResult.Unchanged.class);
            var rejected = a.store.write("rules: [ {id: x, effect: permit, actions: [model.delete]} ]", "key:alice",
                    "edit", null, null);
            assertThat(rejected.result()).isInstanceOf(ReloadResult.Rejected.class);
            assertThat(((ReloadResult.Rejected) rejected.result()).errors()).isNotEmpty();
            assertThat(a.store.versions(Long.MAX_VALUE, 10)).hasSize(1);
            assertThat(a.holder.version()).isEqualTo(1);

            a.store.write(CAPPED, "key:alice", "edit", null, 1L);
            assertThatThrownBy(() -> a.store.write(Policy.defaultText(), "key:bob", "edit", null, 1L))
                    .isInstanceOfSatisfying(PolicyConflictException.class, e -> assertThat(e.latest()).isEqualTo(2));
            assertThat(a.store.versions(Long.MAX_VALUE, 10)).hasSize(2);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aReplicaThatCannotRunTheLatestVersionRefusesInsteadOfRunningAnOldOne(StoreConfig.Kind kind) throws Exception {
        try (var s = TestStores.open(kind); var a = Replica.open(s.db())) {
            assertThat(a.holder.isFresh()).isTrue();
            // a version this build cannot compile (written by another build during an upgrade)
            try (Connection c = s.db().connection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO policy_versions (version, digest, rules, author, created_at, source, body) "
                            + "VALUES (2, 'sha256:x', 1, 'key:future', 0, 'edit', 'rules: [ {id: x, effect: teleport} ]')")) {
                ps.executeUpdate();
                a.feed.publish(c, PolicyStore.TOPIC);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !a.holder.isFresh());
            assertThat(a.holder.version()).as("the old version is not presented as current").isEqualTo(1);
            var headers = new dev.bastion.pipeline.RequestHeaders() {
                @Override
                public String first(String name) { return null; }

                @Override
                public java.util.List<String> all(String name) { return java.util.List.of(); }
            };
            var exchange = new dev.bastion.pipeline.Exchange("r1", CLOCK.instant(), 0, "127.0.0.1", headers, null,
                    "keys.manage", max -> new byte[0]);
            var deny = new AuthorizeStage(a.holder).onRequest(exchange);
            assertThat(deny).isInstanceOfSatisfying(dev.bastion.pipeline.Outcome.Deny.class,
                    d -> assertThat(d.problem().code().code()).isEqualTo("policy_unavailable"));
        }
    }
}
