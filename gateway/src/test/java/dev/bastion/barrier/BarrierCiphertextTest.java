package dev.bastion.barrier;

import dev.bastion.testing.TestStores;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Ciphertext invariants: round trip, path binding, tamper evidence, chunking, streams, garbage input. */
class BarrierCiphertextTest {
    // one SQLite-backed barrier for both engines here (jqwik properties and Jupiter tests)
    private static final Barrier barrier = Shared.BARRIER;
    private static final EnumSet<BarrierException.Kind> INTEGRITY = EnumSet.of(BarrierException.Kind.TAMPERED,
            BarrierException.Kind.WRONG_PATH, BarrierException.Kind.UNKNOWN_KEY, BarrierException.Kind.MALFORMED);

    private static final class Shared {
        static final TestStores.Handle STORE = TestStores.sqlite();
        static final Barrier BARRIER = BarrierFixtures.initialised(STORE.db().dataSource());

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(STORE::close));
        }
    }

    @Provide
    Arbitrary<byte[]> values() {
        // around the 64 KiB chunk boundary as well as small records
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(2048),
                Arbitraries.integers().between(65536 - 2, 65536 * 2 + 2).map(n -> randomBytes(n, n)));
    }

    @Property(tries = 60)
    void anyValueRoundTripsForItsOwnPath(@ForAll("values") byte[] value) {
        byte[] ct = barrier.encrypt("vault/conv-1/7", value);
        assertThat(barrier.decrypt("vault/conv-1/7", ct)).isEqualTo(value);
    }

    @Property(tries = 40)
    void ciphertextMovedToAnotherRecordFailsAsWrongPath(@ForAll("values") byte[] value) {
        byte[] ct = barrier.encrypt("vault/conv-1/7", value);
        BarrierException e = catchThrowableOfType(BarrierException.class, () -> barrier.decrypt("vault/conv-1/8", ct));
        assertThat(e.kind()).isEqualTo(BarrierException.Kind.WRONG_PATH);
    }

    @org.junit.jupiter.api.Test
    void everySingleFlippedByteOfASmallRecordFailsTyped() {
        byte[] value = randomBytes(1024, 1);
        byte[] ct = barrier.encrypt("apikeys/hmac", value);
        for (int i = 0; i < ct.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] bad = ct.clone();
                bad[i] ^= (byte) bit;
                BarrierException e = catchThrowableOfType(BarrierException.class, () -> barrier.decrypt("apikeys/hmac", bad));
                assertThat(e).as("flip at byte %d", i).isNotNull();
                assertThat(e.kind()).isIn(INTEGRITY);
            }
        }
    }

    @Property(tries = 200)
    void aFlippedByteAnywhereInAChunkedValueFailsTyped(@ForAll("positions") double where) {
        byte[] value = randomBytes(200_000, 2);
        byte[] ct = barrier.encrypt("vault/big/1", value);
        int i = (int) (where * (ct.length - 1));
        ct[i] ^= 0x20;
        BarrierException e = catchThrowableOfType(BarrierException.class, () -> barrier.decrypt("vault/big/1", ct));
        assertThat(e).as("flip at byte %d of %d", i, ct.length).isNotNull();
        assertThat(e.kind()).isIn(INTEGRITY);
    }

    @Provide
    Arbitrary<Double> positions() { return Arbitraries.doubles().between(0, 1); }

    @org.junit.jupiter.api.Test
    void droppedSwappedOrTruncatedChunksAreDetected() {
        byte[] value = randomBytes(3 * 65536 + 100, 3);
        byte[] ct = barrier.encrypt("vault/big/2", value);
        int header = Envelope.prefixLength(Envelope.CHUNKED_KEYRING) + ChunkedAead.HEADER_EXTRA;
        int chunk = 65536 + Envelope.TAG;
        // drop the final chunk: the new last chunk was not sealed as last
        byte[] truncated = Arrays.copyOf(ct, header + 3 * chunk);
        assertKind(() -> barrier.decrypt("vault/big/2", truncated), BarrierException.Kind.TAMPERED);
        // swap chunks 0 and 1
        byte[] swapped = ct.clone();
        System.arraycopy(ct, header + chunk, swapped, header, chunk);
        System.arraycopy(ct, header, swapped, header + chunk, chunk);
        assertKind(() -> barrier.decrypt("vault/big/2", swapped), BarrierException.Kind.TAMPERED);
        // append a copy of a chunk
        byte[] extended = Arrays.copyOf(ct, ct.length + chunk);
        System.arraycopy(ct, header, extended, ct.length, chunk);
        assertThatThrownBy(() -> barrier.decrypt("vault/big/2", extended)).isInstanceOf(BarrierException.class);
    }

    @Property(tries = 300)
    void arbitraryBytesNeverDecryptAndNeverCrash(@ForAll byte[] junk) {
        BarrierException e = catchThrowableOfType(BarrierException.class, () -> barrier.decrypt("x/y", junk));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isIn(INTEGRITY);
    }

    @Property(tries = 100)
    void junkWithAValidLookingHeaderFailsTyped(@ForAll("headers") byte version, @ForAll byte[] rest) {
        byte[] junk = new byte[1 + rest.length];
        junk[0] = version;
        System.arraycopy(rest, 0, junk, 1, rest.length);
        BarrierException e = catchThrowableOfType(BarrierException.class, () -> barrier.decrypt("x/y", junk));
        assertThat(e).isNotNull();
        assertThat(e.kind()).isIn(INTEGRITY);
    }

    @Provide
    Arbitrary<Byte> headers() {
        return Arbitraries.of(Envelope.SINGLE_KEYRING, Envelope.SINGLE_SUBJECT, Envelope.CHUNKED_KEYRING, Envelope.CHUNKED_SUBJECT);
    }

    @org.junit.jupiter.api.Test
    void streamAndArrayFormsAreInterchangeable() throws IOException {
        for (int size : new int[] {0, 1, 65535, 65536, 65537, 3 * 65536, 1_000_003}) {
            byte[] value = randomBytes(size, size);
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            try (OutputStream out = barrier.encryptingStream("blobs/" + size, sink)) {
                // odd write sizes so chunk boundaries fall inside writes
                for (int off = 0; off < value.length; off += 7777) out.write(value, off, Math.min(7777, value.length - off));
            }
            assertThat(barrier.decrypt("blobs/" + size, sink.toByteArray())).as("size %d", size).isEqualTo(value);
            try (InputStream in = barrier.decryptingStream("blobs/" + size, new ByteArrayInputStream(sink.toByteArray()))) {
                assertThat(in.readAllBytes()).isEqualTo(value);
            }
            if (size > 65536) { // the array form chose chunking too: the stream reads it
                byte[] ct = barrier.encrypt("blobs/" + size, value);
                try (InputStream in = barrier.decryptingStream("blobs/" + size, new ByteArrayInputStream(ct))) {
                    assertThat(in.readAllBytes()).isEqualTo(value);
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aTruncatedStreamFailsInsteadOfEndingEarly() throws IOException {
        byte[] value = randomBytes(300_000, 5);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = barrier.encryptingStream("blobs/t", sink)) {
            out.write(value);
        }
        byte[] ct = sink.toByteArray();
        byte[] cut = Arrays.copyOf(ct, ct.length - 70_000);
        assertKind(() -> {
            try (InputStream in = barrier.decryptingStream("blobs/t", new ByteArrayInputStream(cut))) {
                in.readAllBytes();
            }
            return null;
        }, BarrierException.Kind.TAMPERED);
        assertKind(() -> barrier.decryptingStream("blobs/other", new ByteArrayInputStream(ct)), BarrierException.Kind.WRONG_PATH);
    }

    @org.junit.jupiter.api.Test
    void theHeaderCarriesVersionKeyIdAndNonce() {
        byte[] ct = barrier.encrypt("audit/signing-key", new byte[32]);
        assertThat(ct[0]).isEqualTo(Envelope.SINGLE_KEYRING);
        assertThat(Barrier.keyIdOf(ct)).isEqualTo(barrier.activeKeyId());
        assertThat(ct).hasSize(1 + 4 + 4 + 12 + 32 + 16);
        byte[] again = barrier.encrypt("audit/signing-key", new byte[32]);
        assertThat(Arrays.copyOfRange(again, 9, 21)).isNotEqualTo(Arrays.copyOfRange(ct, 9, 21)); // fresh nonce
    }

    interface Call { Object call() throws Exception; }

    static void assertKind(Call call, BarrierException.Kind kind) {
        try {
            call.call();
        } catch (BarrierException e) {
            assertThat(e.kind()).isEqualTo(kind);
            return;
        } catch (Exception e) {
            throw new AssertionError("expected BarrierException " + kind + " but got " + e, e);
        }
        throw new AssertionError("expected BarrierException " + kind + " but the call succeeded");
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
