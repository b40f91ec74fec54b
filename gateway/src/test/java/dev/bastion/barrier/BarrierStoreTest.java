package dev.bastion.barrier;

import dev.bastion.store.StoreConfig;
import dev.bastion.testing.ManualClock;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The barrier's storage API on both engines: by path, by prefix, in batches, expiring, per subject, sealed. */
class BarrierStoreTest {
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void valuesComeBackByPathAndByPrefixInPathOrder(StoreConfig.Kind kind) {
        try (var h = TestStores.open(kind)) {
            BarrierStore store = BarrierStore.over(h.db(), BarrierFixtures.initialised(h.db().dataSource()),
                    new ManualClock(T0));
            store.put("quotas/team-a/2026-06", utf8("a"));
            store.put("quotas/team-b/2026-06", utf8("b"));
            store.put("quotas/team-a/2026-05", utf8("old"));
            store.put("quotas/team-a0/x", utf8("not under team-a/"));
            store.put("quotasX/y", utf8("other owner"));
            assertThat(new String(store.get("quotas/team-b/2026-06").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("b");
            assertThat(store.get("quotas/none")).isEmpty();
            assertThat(store.list("quotas/team-a/")).containsExactly("quotas/team-a/2026-05", "quotas/team-a/2026-06");
            assertThat(store.list("quotas/")).hasSize(4);
            // paging: two at a time, resuming after the last path seen
            List<String> seen = new ArrayList<>();
            String after = null;
            for (List<BarrierStore.Entry> page; !(page = store.scan("quotas/", after, 2)).isEmpty(); ) {
                page.forEach(e -> seen.add(e.path()));
                after = page.getLast().path();
            }
            assertThat(seen).isEqualTo(store.list("quotas/"));
            store.put("quotas/team-a/2026-06", utf8("replaced"));
            assertThat(store.getAll(List.of("quotas/team-a/2026-06", "quotas/none", "quotasX/y")))
                    .containsOnlyKeys("quotas/team-a/2026-06", "quotasX/y");
            assertThat(store.delete("quotas/team-b/2026-06")).isTrue();
            assertThat(store.delete("quotas/team-b/2026-06")).isFalse();
            assertThat(store.deleteAll("quotas/team-a/")).isEqualTo(2);
            assertThat(store.list("quotas/")).containsExactly("quotas/team-a0/x");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aBatchIsWrittenWholeAndManyPathsAreReadInFewQueries(StoreConfig.Kind kind) {
        try (var h = TestStores.open(kind)) {
            BarrierStore store = BarrierStore.over(h.db(), BarrierFixtures.initialised(h.db().dataSource()),
                    new ManualClock(T0));
            Map<String, byte[]> batch = new LinkedHashMap<>();
            for (int i = 0; i < 450; i++) batch.put("docs/d1/chunk-" + i, utf8("chunk " + i));
            store.putAll(batch, null);
            assertThat(store.getAll(batch.keySet())).hasSize(450);
            assertThat(new String(store.getAll(List.of("docs/d1/chunk-449")).get("docs/d1/chunk-449"),
                    StandardCharsets.UTF_8)).isEqualTo("chunk 449");
            Map<String, byte[]> bad = new LinkedHashMap<>();
            bad.put("docs/d2/a", utf8("a"));
            bad.put("docs/d2/../b", utf8("b"));
            assertThatThrownBy(() -> store.putAll(bad, null)).isInstanceOf(IllegalArgumentException.class);
            assertThat(store.list("docs/d2/")).as("nothing of a refused batch").isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void expiredValuesAreAbsentCanBeTakenOverAndArePurged(StoreConfig.Kind kind) {
        try (var h = TestStores.open(kind)) {
            ManualClock clock = new ManualClock(T0);
            BarrierStore store = BarrierStore.over(h.db(), BarrierFixtures.initialised(h.db().dataSource()), clock);
            assertThat(store.putIfAbsent("sessions/s1", utf8("first"), T0.plus(Duration.ofMinutes(5)))).isTrue();
            assertThat(store.putIfAbsent("sessions/s1", utf8("second"), null)).as("a live value wins").isFalse();
            store.put("sessions/keep", utf8("forever"));
            clock.advance(Duration.ofMinutes(6));
            assertThat(store.get("sessions/s1")).isEmpty();
            assertThat(store.list("sessions/")).containsExactly("sessions/keep");
            assertThat(store.putIfAbsent("sessions/s1", utf8("third"), T0.plus(Duration.ofMinutes(7)))).isTrue();
            assertThat(new String(store.get("sessions/s1").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("third");
            clock.advance(Duration.ofMinutes(2));
            assertThat(store.purgeExpired()).isEqualTo(1);
            assertThat(store.list("sessions/")).containsExactly("sessions/keep");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void replaceChangesOnlyALiveValueSoADeletedOneStaysDeleted(StoreConfig.Kind kind) {
        try (var h = TestStores.open(kind)) {
            ManualClock clock = new ManualClock(T0);
            BarrierStore store = BarrierStore.over(h.db(), BarrierFixtures.initialised(h.db().dataSource()), clock);
            store.put("sessions/a", utf8("v1"), T0.plus(Duration.ofMinutes(5)));
            assertThat(store.replace("sessions/a", utf8("v2"), T0.plus(Duration.ofMinutes(10)))).isTrue();
            clock.advance(Duration.ofMinutes(6));
            assertThat(new String(store.get("sessions/a").orElseThrow(), StandardCharsets.UTF_8))
                    .as("value and expiry replaced").isEqualTo("v2");
            store.delete("sessions/a");
            assertThat(store.replace("sessions/a", utf8("v3"), null)).isFalse();
            assertThat(store.get("sessions/a")).as("a deleted value is not brought back").isEmpty();
            store.put("sessions/b", utf8("old"), T0.plus(Duration.ofMinutes(7)));
            clock.advance(Duration.ofMinutes(2));
            assertThat(store.replace("sessions/b", utf8("new"), null)).as("nor an expired one").isFalse();
            assertThat(store.get("sessions/b")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void racingWritersAgreeOnOneValue(StoreConfig.Kind kind) throws Exception {
        try (var h = TestStores.open(kind); var pool = Executors.newFixedThreadPool(8)) {
            BarrierStore store = BarrierStore.over(h.db(), BarrierFixtures.initialised(h.db().dataSource()),
                    new ManualClock(T0));
            List<Callable<Boolean>> writers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String mine = "writer-" + i;
                writers.add(() -> store.putIfAbsent("locks/one", utf8(mine), null));
            }
            int winners = 0;
            for (Future<Boolean> f : pool.invokeAll(writers)) if (f.get()) winners++;
            assertThat(winners).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void thePathIsTheAssociatedDataAndTheStoreHoldsOnlyCiphertext(StoreConfig.Kind kind) throws Exception {
        try (var h = TestStores.open(kind)) {
            BarrierStore store = BarrierStore.over(h.db(), BarrierFixtures.initialised(h.db().dataSource()),
                    new ManualClock(T0));
            store.put("privacy/a", utf8("consent of Jane Roe"));
            store.put("privacy/b", utf8("consent of John Doe"));
            try (Connection c = h.db().connection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT value FROM barrier_records")) {
                    while (rs.next()) assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain("Roe", "Doe");
                }
                s.executeUpdate("UPDATE barrier_records SET value = (SELECT value FROM barrier_records WHERE path = "
                        + "'privacy/a') WHERE path = 'privacy/b'");
            }
            assertThatThrownBy(() -> store.get("privacy/b")).isInstanceOfSatisfying(BarrierException.class,
                    e -> assertThat(e.kind()).isEqualTo(BarrierException.Kind.WRONG_PATH));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aSubjectsValuesDieWithTheirKeyAndASealedStoreRefusesEverything(StoreConfig.Kind kind) {
        try (var h = TestStores.open(kind)) {
            Barrier barrier = BarrierFixtures.initialised(h.db().dataSource());
            BarrierStore store = BarrierStore.over(h.db(), barrier, new ManualClock(T0));
            store.forSubject("subject-7").put("privacy/subjects/t7/export", utf8("everything about subject 7"));
            store.put("privacy/other", utf8("kept"));
            assertThat(store.get("privacy/subjects/t7/export")).isPresent();
            assertThat(barrier.shredSubject("subject-7")).isTrue();
            assertThatThrownBy(() -> store.get("privacy/subjects/t7/export")).isInstanceOfSatisfying(BarrierException.class,
                    e -> assertThat(e.kind()).isEqualTo(BarrierException.Kind.SHREDDED));
            assertThat(store.get("privacy/other")).isPresent();

            barrier.seal();
            for (Runnable op : List.<Runnable>of(() -> store.get("privacy/other"), () -> store.list("privacy/"),
                    () -> store.put("privacy/x", utf8("x")), () -> store.delete("privacy/other"))) {
                assertThatThrownBy(op::run).isInstanceOfSatisfying(BarrierException.class,
                        e -> assertThat(e.kind()).isEqualTo(BarrierException.Kind.SEALED));
            }
            for (String bad : List.of("", "/a", "a/", "a//b", "a/../b", "a b", "a/é", "x".repeat(513))) {
                assertThatThrownBy(() -> store.get(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }
}
