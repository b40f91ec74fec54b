package dev.bastion.barrier;

import dev.bastion.testing.Mutations;
import dev.bastion.testing.TestStores;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target: barrier envelopes (plain and chunked). Any bytes handed to decrypt are refused with a typed
 * {@link BarrierException} unless they are, byte for byte, a ciphertext made for that path — which gives its own
 * plaintext back, never another.
 */
class EnvelopeFuzzTest {
    private static final class Shared {
        static final TestStores.Handle STORE = TestStores.sqlite();
        static final Barrier BARRIER = BarrierFixtures.initialised(STORE.db().dataSource());
        static final byte[] SMALL = "a small secret".getBytes(StandardCharsets.UTF_8);
        static final byte[] LARGE = new byte[70_000];
        static final byte[] SMALL_CT = BARRIER.encrypt("fuzz/small", SMALL);
        static final byte[] LARGE_CT = BARRIER.encrypt("fuzz/large", LARGE);
    }

    @Property
    void anyEnvelopeDecryptsToItsOwnPlaintextOrIsRefusedTyped(@ForAll("envelopes") byte[] ct) {
        for (String path : List.of("fuzz/small", "fuzz/large")) {
            try {
                byte[] plain = Shared.BARRIER.decrypt(path, ct);
                byte[] expected = path.equals("fuzz/small") ? Shared.SMALL : Shared.LARGE;
                assertThat(plain).as("decrypted to something else").isEqualTo(expected);
            } catch (BarrierException expected) {
                assertThat(expected.kind()).isNotNull();
            }
        }
    }

    @Provide
    Arbitrary<byte[]> envelopes() {
        // the large seed is cut to its header, first chunk and tail, so mutations hit the framing too
        byte[] large = Shared.LARGE_CT;
        byte[] head = Arrays.copyOf(large, Math.min(large.length, 600));
        return Mutations.of(200, List.of(Shared.SMALL_CT, head, large));
    }
}
