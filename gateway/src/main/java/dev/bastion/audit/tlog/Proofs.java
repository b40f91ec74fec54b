package dev.bastion.audit.tlog;

import java.util.Arrays;
import java.util.List;

/**
 * Verification of RFC 6962 / RFC 9162 inclusion and consistency proofs, and of the subtree variants (a subtree
 * {@code [start, end)} of a larger tree, as used by Merkle tree certificates). Sizes and indexes are non-negative
 * longs; anything else is rejected. Every failure is a {@link TlogException} with reason INVALID_PROOF.
 */
public final class Proofs {
    private Proofs() {}

    /** Checks that {@code leafHash} sits at {@code index} in the tree of {@code size} leaves with root {@code root}. */
    public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
            throws TlogException {
        if (!Arrays.equals(rootFromInclusion(index, size, leafHash, proof), root)) {
            throw TlogException.invalidProof("inclusion proof does not lead to the expected root");
        }
    }

    /** The root that an inclusion proof for {@code leafHash} at {@code index} implies for a tree of {@code size}. */
    public static byte[] rootFromInclusion(long index, long size, byte[] leafHash, List<byte[]> proof)
            throws TlogException {
        if (index < 0 || size <= 0 || index >= size) {
            throw TlogException.invalidProof("leaf index " + index + " is outside a tree of size " + size);
        }
        checkHash(leafHash, "leaf hash");
        checkElements(proof);
        Hashes h = new Hashes();
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) throw TlogException.invalidProof("inclusion proof is too long");
            if ((fn & 1) == 1 || fn == sn) {
                r = h.node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = h.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) throw TlogException.invalidProof("inclusion proof is too short");
        return r;
    }

    /**
     * Checks that the tree of {@code size1} leaves with {@code root1} is a prefix of the tree of {@code size2} with
     * {@code root2}. A consistency proof from the empty tree proves nothing and is rejected.
     */
    public static void verifyConsistency(long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2)
            throws TlogException {
        if (size1 < 0 || size2 < size1) {
            throw TlogException.invalidProof("size1 " + size1 + " is not within 0.." + size2);
        }
        if (size1 == 0) throw TlogException.invalidProof("a consistency proof from the empty tree proves nothing");
        if (size1 == size2) {
            if (!proof.isEmpty()) throw TlogException.invalidProof("equal sizes need an empty proof");
            if (!Arrays.equals(root1, root2)) throw TlogException.invalidProof("equal sizes but different roots");
            return;
        }
        if (proof.isEmpty()) throw TlogException.invalidProof("empty consistency proof");
        verifySubtreeConsistency(0, size1, size2, proof, root1, root2);
    }

    /** Checks that {@code leafHash} sits at {@code index} within the valid subtree {@code [start, end)}. */
    public static void verifySubtreeInclusion(long index, long start, long end, byte[] leafHash, List<byte[]> proof,
                                              byte[] subtreeRoot) throws TlogException {
        requireValidSubtree(start, end);
        if (index < start || index >= end) {
            throw TlogException.invalidProof("leaf index " + index + " is outside the subtree");
        }
        verifyInclusion(index - start, end - start, leafHash, proof, subtreeRoot);
    }

    /**
     * Checks that {@code subtreeRoot} is the hash of {@code [start, end)} inside the tree of {@code size} leaves with
     * {@code root}. An empty subtree needs no proof: its hash must be the empty-tree hash.
     */
    public static void verifySubtreeConsistency(long start, long end, long size, List<byte[]> proof,
                                                byte[] subtreeRoot, byte[] root) throws TlogException {
        if (start < 0 || end < start || size < end) {
            throw TlogException.invalidProof("subtree is not within a tree of size " + size);
        }
        if (start == end) {
            if (!proof.isEmpty()) throw TlogException.invalidProof("an empty subtree needs an empty proof");
            if (!Arrays.equals(subtreeRoot, Hashes.emptyRoot())) {
                throw TlogException.invalidProof("an empty subtree must have the empty-tree hash");
            }
            return;
        }
        requireValidSubtree(start, end);
        checkElements(proof);
        Hashes h = new Hashes();
        long fn = start;
        long sn = end - 1;
        long tn = size - 1;
        // climb to the lowest node that covers the subtree's right edge
        if (sn == tn) {
            while (fn != sn) {
                fn >>= 1;
                sn >>= 1;
                tn >>= 1;
            }
        } else {
            while (fn != sn && (sn & 1) == 1) {
                fn >>= 1;
                sn >>= 1;
                tn >>= 1;
            }
        }
        byte[] fr;
        byte[] sr;
        int next;
        if (fn == sn) {
            fr = subtreeRoot;
            sr = subtreeRoot;
            next = 0;
        } else {
            if (proof.isEmpty()) throw TlogException.invalidProof("empty subtree consistency proof");
            fr = proof.getFirst();
            sr = fr;
            next = 1;
        }
        for (int i = next; i < proof.size(); i++) {
            byte[] c = proof.get(i);
            if (tn == 0) throw TlogException.invalidProof("consistency proof is too long");
            if ((sn & 1) == 1 || sn == tn) {
                if (fn < sn) fr = h.node(c, fr);
                sr = h.node(c, sr);
                while ((sn & 1) == 0 && sn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                    tn >>= 1;
                }
            } else {
                sr = h.node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
            tn >>= 1;
        }
        if (tn != 0) throw TlogException.invalidProof("consistency proof is too short");
        if (!Arrays.equals(fr, subtreeRoot)) throw TlogException.invalidProof("proof does not lead to the first root");
        if (!Arrays.equals(sr, root)) throw TlogException.invalidProof("proof does not lead to the second root");
    }

    /** A subtree [start, end) is valid when it is non-empty and start is a multiple of the bit ceiling of its size. */
    public static boolean isValidSubtree(long start, long end) {
        if (start < 0 || end <= start) return false;
        if (start == 0) return true;
        int bits = 64 - Long.numberOfLeadingZeros(end - start - 1);
        return Long.numberOfTrailingZeros(start) >= bits;
    }

    private static void requireValidSubtree(long start, long end) throws TlogException {
        if (!isValidSubtree(start, end)) throw TlogException.invalidProof("not a valid subtree");
    }

    private static void checkHash(byte[] hash, String what) throws TlogException {
        if (hash == null || hash.length != Hashes.SIZE) {
            throw TlogException.invalidProof(what + " is not " + Hashes.SIZE + " bytes");
        }
    }

    private static void checkElements(List<byte[]> proof) throws TlogException {
        for (byte[] p : proof) checkHash(p, "proof element");
    }
}
