package dev.bastion.audit.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6962 tree hashes and proof generation over a {@link HashSource} of perfect-subtree hashes (in memory, or
 * the tiles a log stores). Proofs are produced exactly as RFC 6962 section 2.1 defines PATH and PROOF.
 */
public final class Merkle {
    private Merkle() {}

    /** Perfect subtree hashes: node (height h, index i) covers leaves [i·2^h, (i+1)·2^h). */
    @FunctionalInterface
    public interface HashSource {
        byte[] node(int height, long index) throws TlogException;
    }

    /** MTH of a whole list of leaf hashes. */
    public static byte[] root(List<byte[]> leafHashes) {
        try {
            return rangeHash(inMemory(leafHashes), 0, leafHashes.size());
        } catch (TlogException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A source over leaf hashes held in memory (tests and small trees). */
    public static HashSource inMemory(List<byte[]> leafHashes) {
        return (height, index) -> {
            long first = index << height;
            long count = 1L << height;
            if (height > 62 || first < 0 || first + count > leafHashes.size()) {
                throw TlogException.malformed("node outside the tree");
            }
            Hashes h = new Hashes();
            List<byte[]> level = new ArrayList<>(leafHashes.subList((int) first, (int) (first + count)));
            while (level.size() > 1) {
                List<byte[]> up = new ArrayList<>(level.size() / 2);
                for (int i = 0; i < level.size(); i += 2) up.add(h.node(level.get(i), level.get(i + 1)));
                level = up;
            }
            return level.getFirst();
        };
    }

    /**
     * MTH(D[start:end]) for a range whose start is a multiple of the bit ceiling of its size (every range the RFC's
     * recursion visits is): the fold, right to left, of its maximal aligned perfect subtrees.
     */
    public static byte[] rangeHash(HashSource source, long start, long end) throws TlogException {
        if (start == end) return Hashes.emptyRoot();
        List<byte[]> nodes = new ArrayList<>();
        long a = start;
        while (a < end) {
            int height = 63 - Long.numberOfLeadingZeros(end - a);
            if (a != 0) height = Math.min(height, Long.numberOfTrailingZeros(a));
            nodes.add(source.node(height, a >>> height));
            a += 1L << height;
        }
        Hashes h = new Hashes();
        byte[] r = nodes.getLast();
        for (int i = nodes.size() - 2; i >= 0; i--) r = h.node(nodes.get(i), r);
        return r;
    }

    /** PATH(index, D[size]): the inclusion proof, bottom up. */
    public static List<byte[]> inclusionProof(HashSource source, long index, long size) throws TlogException {
        if (index < 0 || index >= size) throw new IllegalArgumentException("index must be within 0..size-1");
        List<byte[]> proof = new ArrayList<>();
        path(source, index, 0, size, proof);
        return proof;
    }

    /** PROOF(size1, D[size2]): the consistency proof; empty when the sizes are equal or size1 is 0. */
    public static List<byte[]> consistencyProof(HashSource source, long size1, long size2) throws TlogException {
        if (size1 < 0 || size2 < size1) throw new IllegalArgumentException("sizes must satisfy 0 <= size1 <= size2");
        List<byte[]> proof = new ArrayList<>();
        if (size1 == 0 || size1 == size2) return proof;
        subproof(source, size1, 0, size2, true, proof);
        return proof;
    }

    /** Largest power of two strictly smaller than n (n > 1). */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static void path(HashSource s, long m, long a, long b, List<byte[]> out) throws TlogException {
        if (b - a == 1) return;
        long k = split(b - a);
        if (m < a + k) {
            path(s, m, a, a + k, out);
            out.add(rangeHash(s, a + k, b));
        } else {
            path(s, m, a + k, b, out);
            out.add(rangeHash(s, a, a + k));
        }
    }

    /** SUBPROOF with absolute bounds: m is the old size, [a, b) the current subtree. */
    private static void subproof(HashSource s, long m, long a, long b, boolean known, List<byte[]> out)
            throws TlogException {
        if (m == b) {
            if (!known) out.add(rangeHash(s, a, b));
            return;
        }
        long k = split(b - a);
        if (m <= a + k) {
            subproof(s, m, a, a + k, known, out);
            out.add(rangeHash(s, a + k, b));
        } else {
            subproof(s, m, a + k, b, false, out);
            out.add(rangeHash(s, a, a + k));
        }
    }
}
