package dev.bastion.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.Arrays;
import java.util.List;

/**
 * Fuzz inputs for jqwik properties: arbitrary bytes, and valid seeds mutated the way fuzzers mutate them (bytes
 * flipped, inserted, deleted, a range duplicated or the input cut short), so that most inputs get past the first
 * check and reach the deeper parts of a parser. How many tries run is {@code jqwik.tries.default} (docs/hardening.md).
 */
public final class Mutations {
    private Mutations() {}

    /** Random bytes (up to {@code maxLength}) and mutants of {@code seeds}, about half each. */
    public static Arbitrary<byte[]> of(int maxLength, List<byte[]> seeds) {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength);
        Arbitrary<byte[]> seed = Arbitraries.of(seeds);
        Arbitrary<byte[]> mutant = Combinators.combine(seed, Arbitraries.integers().between(1, 8),
                Arbitraries.longs().withoutEdgeCases()).as(Mutations::mutate);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, random), net.jqwik.api.Tuple.of(1, seed),
                net.jqwik.api.Tuple.of(4, mutant));
    }

    /** Applies {@code rounds} random edits to a copy of {@code seed}. */
    static byte[] mutate(byte[] seed, int rounds, long randomSeed) {
        java.util.Random r = new java.util.Random(randomSeed);
        byte[] b = seed.clone();
        for (int i = 0; i < rounds; i++) {
            int at = b.length == 0 ? 0 : r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0 -> { if (b.length > 0) b[at] = (byte) r.nextInt(256); }
                case 1 -> { if (b.length > 0) b[at] ^= (byte) (1 << r.nextInt(8)); }
                case 2 -> b = insert(b, at, new byte[] {(byte) r.nextInt(256)});
                case 3 -> { if (b.length > 0) b = delete(b, at, 1 + r.nextInt(Math.min(16, b.length - at))); }
                case 4 -> { if (b.length > 0) b = insert(b, at, Arrays.copyOfRange(b, at, Math.min(b.length, at + 1 + r.nextInt(32)))); }
                default -> b = Arrays.copyOf(b, at);
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] piece) {
        byte[] out = new byte[b.length + piece.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(piece, 0, out, at, piece.length);
        System.arraycopy(b, at, out, at + piece.length, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, int at, int n) {
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
    }
}
