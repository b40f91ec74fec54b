package dev.bastion.privacy;

import dev.bastion.barrier.BarrierException;
import dev.bastion.barrier.RecordCipher;
import dev.bastion.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A value that belongs to several subjects is readable only while all of their keys live: erasing any one of them
 * makes it unreadable. Values written without subjects (and before subjects existed) still decrypt, and a layer
 * cannot be moved to another record.
 */
class LayeredCipherTest {
    private static final byte[] VALUE = "Jane Doe".getBytes(StandardCharsets.UTF_8);

    @Test
    void erasingAnyOneOfTheSubjectsMakesTheValueUnreadable() throws Exception {
        try (var store = TestStores.sqlite(); var f = new PrivacyFixtures(store, Clock.systemUTC())) {
            RecordCipher reader = f.keys.reader();
            byte[] shared = f.keys.cipher(List.of("s-1", "s-2", "s-3")).encrypt("vault/a", VALUE);
            byte[] single = f.keys.cipher(List.of("s-4")).encrypt("vault/b", VALUE);
            byte[] plain = f.keys.cipher(List.of()).encrypt("vault/c", VALUE);
            byte[] legacy = f.barrier.encrypt("vault/d", VALUE); // written by the vault before subjects were known
            for (var e : List.of(new Object[] {"vault/a", shared}, new Object[] {"vault/b", single},
                    new Object[] {"vault/c", plain}, new Object[] {"vault/d", legacy})) {
                assertThat(reader.decrypt((String) e[0], (byte[]) e[1])).isEqualTo(VALUE);
            }
            assertThatThrownBy(() -> reader.decrypt("vault/elsewhere", shared)).isInstanceOf(BarrierException.class);

            assertThat(f.keys.destroy("s-2")).isPresent();
            assertThatThrownBy(() -> reader.decrypt("vault/a", shared)).isInstanceOfSatisfying(BarrierException.class,
                    e -> assertThat(e.kind()).isEqualTo(BarrierException.Kind.SHREDDED));
            assertThat(reader.decrypt("vault/b", single)).isEqualTo(VALUE);
            assertThat(reader.decrypt("vault/c", plain)).isEqualTo(VALUE);
        }
    }

    @Test
    void aSubjectLayerWithoutItsMarkerIsRefused() throws Exception {
        try (var store = TestStores.sqlite(); var f = new PrivacyFixtures(store, Clock.systemUTC())) {
            // a subject-key ciphertext of a raw value (no marker byte) must not pass for a layered one
            byte[] raw = f.barrier.forSubject("s-9").encrypt("vault/x", new byte[] {7, 1, 2});
            assertThatThrownBy(() -> f.keys.reader().decrypt("vault/x", raw)).isInstanceOfSatisfying(
                    BarrierException.class, e -> assertThat(e.kind()).isEqualTo(BarrierException.Kind.TAMPERED));
        }
    }
}
