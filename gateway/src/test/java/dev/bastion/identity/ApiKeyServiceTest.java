package dev.bastion.identity;

import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.InsecureFileKeyProvider;
import dev.bastion.barrier.SecretStore;
import dev.bastion.barrier.ServerSecrets;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.store.ServerState;
import dev.bastion.store.StoreConfig;
import dev.bastion.testing.ManualClock;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** API keys on both stores: secrets never stored, every failure a typed 401. */
class ApiKeyServiceTest {


    private static String code(ProblemException e) { return e.problem().code().code(); }

    /**
     * A service as the server builds it: the hashing key behind a real barrier (insecure-file provider whose root
     * key file is shared per store, as replicas share one key provider).
     */
    private static ApiKeyService keys(TestStores.Handle store, Clock clock) {
        var random = new SecureRandom();
        Path rootKey = ROOT_KEYS.computeIfAbsent(store, s -> {
            try {
                return Files.createTempDirectory("bastion-root").resolve("root.key");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Barrier barrier = Barrier.start(store.db(), Optional.of(new InsecureFileKeyProvider(rootKey)));
        var secrets = new ServerSecrets(SecretStore.over(store.db(), barrier), random);
        return new ApiKeyService(store.db(), new ServerState(store.db(), random),
                secrets.source(ServerSecrets.API_KEY_HMAC, 32), clock, random);
    }

    private static final java.util.Map<TestStores.Handle, Path> ROOT_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void theSecretIsNeverStoredOnlyItsKeyedHash(StoreConfig.Kind kind) throws Exception {
        try (var store = TestStores.open(kind)) {
            var keys = keys(store, Clock.systemUTC());
            var created = keys.create("ci", List.of("developer"), Map.of("team", "a"), List.of("chat"), null, "test");
            String secret = created.key().substring(created.key().lastIndexOf('_') + 1);
            try (var c = store.db().connection(); var rs = c.createStatement().executeQuery("SELECT * FROM api_keys")) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        String text = v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(v);
                        assertThat(text).doesNotContain(secret).doesNotContain(created.key());
                    }
                }
            }
            Principal p = keys.authenticate(created.key());
            assertThat(p.id()).isEqualTo("key:" + created.record().keyId());
            assertThat(p.roles()).containsExactly("developer");
            assertThat(p.modelScope()).containsExactly("chat");
            assertThat(p.method()).isEqualTo(Principal.AuthMethod.API_KEY);
            assertThat(created.toString()).doesNotContain(secret);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void wrongExpiredAndRevokedKeysAreRefusedWithDistinctCodes(StoreConfig.Kind kind) {
        try (var store = TestStores.open(kind)) {
            var clock = new ManualClock(Instant.parse("2026-11-25T12:00:00Z"));

            var keys = keys(store, clock);
            var shortLived = keys.create("short", List.of("developer"), Map.of(), List.of(),
                    clock.instant().plus(Duration.ofHours(1)), "test");
            assertThat(keys.authenticate(shortLived.key())).isNotNull();
            clock.advance(Duration.ofHours(2));
            assertThatThrownBy(() -> keys.authenticate(shortLived.key())).isInstanceOfSatisfying(ProblemException.class,
                    e -> assertThat(code(e)).isEqualTo("expired_credentials"));

            var revoked = keys.create("gone", List.of("developer"), Map.of(), List.of(), null, "test");
            assertThat(keys.authenticate(revoked.key())).isNotNull();
            assertThat(keys.revoke(revoked.record().keyId())).isTrue();
            assertThatThrownBy(() -> keys.authenticate(revoked.key())).isInstanceOfSatisfying(ProblemException.class,
                    e -> assertThat(code(e)).isEqualTo("revoked_credentials"));

            String tampered = revoked.key().substring(0, revoked.key().length() - 1)
                    + (revoked.key().endsWith("A") ? "B" : "A");
            for (String bad : List.of(tampered, "bst_short", "sk-not-ours", revoked.key() + "x",
                    "bst_" + "a".repeat(12) + "_" + "A".repeat(43))) {
                assertThatThrownBy(() -> keys.authenticate(bad)).isInstanceOfSatisfying(ProblemException.class,
                        e -> assertThat(code(e)).isEqualTo("invalid_api_key"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void theBootstrapAdminKeyIsIssuedExactlyOnce(StoreConfig.Kind kind) {
        try (var store = TestStores.open(kind)) {
            var first = keys(store, Clock.systemUTC()).bootstrapAdminIfFirstStart();
            assertThat(first).isPresent();
            assertThat(first.get().record().roles()).containsExactly("admin");
            // a restart, even after the key was revoked, does not mint another
            var keys = keys(store, Clock.systemUTC());
            keys.revoke(first.get().record().keyId());
            assertThat(keys.bootstrapAdminIfFirstStart()).isEmpty();
            assertThat(keys.list()).hasSize(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.bastion.testing.TestStores#kinds")
    void twoReplicasShareTheHashingKeySoEitherAcceptsAKey(StoreConfig.Kind kind) {
        try (var store = TestStores.open(kind)) {

            var a = keys(store, Clock.systemUTC());
            var b = keys(store, Clock.systemUTC());
            var created = a.create("shared", List.of("service"), Map.of(), List.of(), null, "test");
            assertThat(b.authenticate(created.key()).type()).isEqualTo(Principal.Type.SERVICE);
        }
    }
}
