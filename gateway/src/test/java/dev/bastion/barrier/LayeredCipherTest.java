package dev.bastion.barrier;

import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A value that belongs to several subjects ({@link BarrierStore#forSubjects}) is readable only while all of their
 * keys live: shredding any one of them makes it unreadable. Values written without subjects still read through the
 * same view, and a layer cannot be moved to another record.
 */
class LayeredCipherTest {
    private static final byte[] VALUE = "Jane Doe".getBytes(StandardCharsets.UTF_8);

    @Test
    void shreddingAnyOneOfTheSubjectsMakesTheValueUnreadable() throws Exception {
        try (var h = TestStores.sqlite()) {
            Barrier barrier = BarrierFixtures.initialised(h.db().dataSource());
            BarrierStore records = BarrierStore.over(h.db(), barrier, Clock.systemUTC());
            BarrierStore reader = records.forSubjects(List.of());
            records.forSubjects(List.of("s-1", "s-2", "s-3")).put("vault/a", VALUE);
            records.forSubjects(List.of("s-4")).put("vault/b", VALUE);
            reader.put("vault/c", VALUE);
            records.put("vault/d", VALUE); // written by the plain store
            for (String p : List.of("vault/a", "vault/b", "vault/c", "vault/d")) {
                assertThat(reader.get(p)).get().isEqualTo(VALUE);
            }
            LayeredCipher layered = new LayeredCipher(barrier, List.of());
            byte[] shared = new LayeredCipher(barrier, List.of(barrier.forSubject("s-1"), barrier.forSubject("s-2")))
                    .encrypt("vault/e", VALUE);
            assertThatThrownBy(() -> layered.decrypt("vault/elsewhere", shared)).isInstanceOf(BarrierException.class);

            assertThat(barrier.shredSubject("s-2")).isTrue();
            assertThatThrownBy(() -> reader.get("vault/a")).isInstanceOfSatisfying(BarrierException.class,
                    e -> assertThat(e.kind()).isEqualTo(BarrierException.Kind.SHREDDED));
            assertThat(reader.get("vault/b")).get().isEqualTo(VALUE);
            assertThat(reader.get("vault/c")).get().isEqualTo(VALUE);
        }
    }

    @Test
    void aSubjectLayerWithoutItsMarkerIsRefused() throws Exception {
        try (var h = TestStores.sqlite()) {
            Barrier barrier = BarrierFixtures.initialised(h.db().dataSource());
            // a subject-key ciphertext of a raw value (no marker byte) must not pass for a layered one
            byte[] raw = barrier.forSubject("s-9").encrypt("vault/x", new byte[] {7, 1, 2});
            assertThatThrownBy(() -> new LayeredCipher(barrier, List.of()).decrypt("vault/x", raw))
                    .isInstanceOfSatisfying(BarrierException.class,
                            e -> assertThat(e.kind()).isEqualTo(BarrierException.Kind.TAMPERED));
        }
    }
}
