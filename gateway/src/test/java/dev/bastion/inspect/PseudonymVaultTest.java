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

    static dev.bastion.barrier.BlindIndex index() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return new dev.bastion.barrier.BlindIndex(key::clone);
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void sameValueGetsSameTokenWithinAConversationAndOriginalsComeBack(StoreConfig.Kind kind) {
        try (var h = TestStores.open(kind)) {
            var vault = new JdbcPseudonymVault(h.db(), barrier(h), index(), Clock.systemUTC(), Duration.ofHours(1));
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
            var vault = new JdbcPseudonymVault(h.db(), barrier(h), index(), Clock.systemUTC(), Duration.ofHours(1));
            vault.tokenFor("conversation-42", EntityType.US_SSN, "078-05-1121");
            try (Connection c = h.db().connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT conversation, token, entity_type, value_index, ciphertext FROM inspect_pseudonyms")) {
                assertThat(rs.next()).isTrue();
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= 4; i++) row.append(rs.getString(i)).append('|');
                row.append(new String(rs.getBytes(5), StandardCharsets.ISO_8859_1));
                assertThat(row.toString()).doesNotContain("078-05-1121").doesNotContain("078051121")
                        .doesNotContain("conversation-42");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void entriesExpireAfterTheirTtlAndArePurged(StoreConfig.Kind kind) {
        try (var h = TestStores.open(kind)) {
            ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
            var vault = new JdbcPseudonymVault(h.db(), barrier(h), index(), clock, Duration.ofMinutes(30));
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
            var vault = new JdbcPseudonymVault(h.db(), barrier(h), index(), Clock.systemUTC(), Duration.ofHours(1));
            vault.tokenFor("c", EntityType.PERSON, "Jane Doe");
            vault.tokenFor("c", EntityType.PERSON, "John Roe");
            try (Connection c = h.db().connection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE inspect_pseudonyms SET ciphertext = (SELECT ciphertext FROM inspect_pseudonyms "
                        + "WHERE token = '<PERSON_1>') WHERE token = '<PERSON_2>'");
            }
            assertThatThrownBy(() -> vault.originalFor("c", "<PERSON_2>"))
                    .isInstanceOfSatisfying(dev.bastion.barrier.BarrierException.class,
                            e -> assertThat(e.kind()).isEqualTo(dev.bastion.barrier.BarrierException.Kind.WRONG_PATH));
        }
    }
}
