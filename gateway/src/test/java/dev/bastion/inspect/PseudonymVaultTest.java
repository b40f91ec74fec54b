package dev.bastion.inspect;

import dev.bastion.store.StoreConfig;
import dev.bastion.testing.ManualClock;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PseudonymVaultTest {

    /** The production cipher: a real barrier over the same store, opened by a throw-away insecure file key. */
    static dev.bastion.barrier.Barrier barrier(TestStores.Handle h) {
        try {
            var root = java.nio.file.Files.createTempDirectory("vault-root").resolve("root.key");
            return dev.bastion.barrier.Barrier.start(h.db(),
                    java.util.Optional.of(new dev.bastion.barrier.InsecureFileKeyProvider(root)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static BarrierPseudonymVault vault(TestStores.Handle h, java.time.Clock clock, Duration ttl) {
        return new BarrierPseudonymVault(dev.bastion.barrier.BarrierStore.over(h.db(), barrier(h), clock), index(),
                clock, ttl);
    }

    static dev.bastion.barrier.BlindIndex index() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return new dev.bastion.barrier.BlindIndex(key::clone);
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void sameValueGetsSameTokenWithinAConversationAndOriginalsComeBack(StoreConfig.Kind kind) {
        try (var h = TestStores.open(kind)) {
            var vault = vault(h, Clock.systemUTC(), Duration.ofHours(1));
            assertThat(vault.tokenFor("conv-a", EntityType.PERSON, "Jane Doe")).isEqualTo("<PERSON_1>");
            assertThat(vault.tokenFor("conv-a", EntityType.PERSON, "John Roe")).isEqualTo("<PERSON_2>");
            assertThat(vault.tokenFor("conv-a", EntityType.EMAIL_ADDRESS, "j@x.org")).isEqualTo("<EMAIL_ADDRESS_1>");
            assertThat(vault.tokenFor("conv-a", EntityType.PERSON, "Jane Doe")).isEqualTo("<PERSON_1>");
            assertThat(vault.tokenFor("conv-b", EntityType.PERSON, "John Roe")).isEqualTo("<PERSON_1>");
            assertThat(vault.originalFor("conv-a", "<PERSON_2>")).isEqualTo("John Roe");
            assertThat(vault.originalFor("conv-b", "<PERSON_1>")).isEqualTo("John Roe");
            assertThat(vault.originalFor("conv-b", "<PERSON_2>")).isNull();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void storeNeverSeesOriginalsOrConversationIds(StoreConfig.Kind kind) throws Exception {
        try (var h = TestStores.open(kind)) {
            var vault = vault(h, Clock.systemUTC(), Duration.ofHours(1));
            vault.tokenFor("conversation-42", EntityType.US_SSN, "078-05-1121");
            try (Connection c = h.db().connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT path, value FROM barrier_records WHERE path LIKE 'inspect/%'")) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    String row = rs.getString(1) + '|' + new String(rs.getBytes(2), StandardCharsets.ISO_8859_1);
                    assertThat(row).doesNotContain("078-05-1121").doesNotContain("078051121")
                            .doesNotContain("conversation-42");
                }
                assertThat(rows).as("the token, the value index, the entry's labels and its creation index").isEqualTo(4);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void entriesExpireAfterTheirTtlAndArePurged(StoreConfig.Kind kind) {
        try (var h = TestStores.open(kind)) {
            ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
            var vault = vault(h, clock, Duration.ofMinutes(30));
            vault.tokenFor("c", EntityType.PERSON, "Jane Doe");
            clock.advance(Duration.ofMinutes(29));
            assertThat(vault.originalFor("c", "<PERSON_1>")).isEqualTo("Jane Doe");
            clock.advance(Duration.ofMinutes(2));
            assertThat(vault.originalFor("c", "<PERSON_1>")).isNull();
            assertThat(vault.tokenFor("c", EntityType.PERSON, "Jane Doe")).isEqualTo("<PERSON_1>");
            clock.advance(Duration.ofHours(1));
            assertThat(vault.purgeExpired()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void aCiphertextMovedToAnotherRowDoesNotDecrypt(StoreConfig.Kind kind) throws Exception {
        try (var h = TestStores.open(kind)) {
            var vault = vault(h, Clock.systemUTC(), Duration.ofHours(1));
            vault.tokenFor("c", EntityType.PERSON, "Jane Doe");
            vault.tokenFor("c", EntityType.PERSON, "John Roe");
            try (Connection c = h.db().connection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE barrier_records SET value = (SELECT value FROM barrier_records "
                        + "WHERE path LIKE 'inspect/pseudonyms/%/PERSON_1') WHERE path LIKE 'inspect/pseudonyms/%/PERSON_2'");
            }
            assertThatThrownBy(() -> vault.originalFor("c", "<PERSON_2>"))
                    .isInstanceOfSatisfying(dev.bastion.barrier.BarrierException.class,
                            e -> assertThat(e.kind()).isEqualTo(dev.bastion.barrier.BarrierException.Kind.WRONG_PATH));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void concurrentRequestsOfOneConversationAgreeOnEveryToken(StoreConfig.Kind kind) throws Exception {
        try (var h = TestStores.open(kind); var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var vault = vault(h, Clock.systemUTC(), Duration.ofHours(1));
            var calls = new java.util.ArrayList<java.util.concurrent.Callable<String>>();
            for (int i = 0; i < 24; i++) {
                String name = "Person " + (char) ('A' + i % 6);
                calls.add(() -> vault.tokenFor("busy", EntityType.PERSON, name));
            }
            java.util.Map<String, java.util.Set<String>> tokensByName = new java.util.HashMap<>();
            var futures = pool.invokeAll(calls);
            for (int i = 0; i < futures.size(); i++) {
                tokensByName.computeIfAbsent("Person " + (char) ('A' + i % 6), k -> new java.util.HashSet<>())
                        .add(futures.get(i).get());
            }
            assertThat(tokensByName.values()).allSatisfy(tokens -> assertThat(tokens).hasSize(1));
            java.util.Set<String> distinct = new java.util.HashSet<>();
            tokensByName.values().forEach(distinct::addAll);
            assertThat(distinct).as("six names, six tokens").hasSize(6);
            for (var e : tokensByName.entrySet()) {
                assertThat(vault.originalFor("busy", e.getValue().iterator().next())).isEqualTo(e.getKey());
            }
        }
    }
}
