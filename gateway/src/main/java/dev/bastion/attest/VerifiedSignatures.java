package dev.bastion.attest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers signatures over collateral that already verified: certificate links, CRLs, PCS JSON. These repeat on
 * every verification (the same AMD, Intel and NVIDIA chains; collateral that changes monthly) and their public-key
 * operations cost milliseconds each, while verifying the same bytes with the same key again can only give the same
 * answer. Only successes are kept, keyed by a digest of the signed bytes, the signature and the key; validity
 * periods and revocation are still checked on every call. Evidence signatures are never remembered.
 */
public final class VerifiedSignatures {
    private static final int MAX = 4096;
    private static final Set<ByteBuffer> VERIFIED = ConcurrentHashMap.newKeySet();

    private VerifiedSignatures() {}

    /** Forgets every remembered signature (benchmarks measure first-time verification with it). */
    public static void clear() { VERIFIED.clear(); }

    interface Check {
        boolean verify();
    }

    /**
     * @param signed the bytes that identify what was signed (a whole certificate or CRL: its signature is inside)
     */
    static boolean verify(PublicKey key, byte[] signed, int off, int len, byte[] signature, Check check) {
        ByteBuffer id = id(key, signed, off, len, signature);
        if (VERIFIED.contains(id)) return true;
        if (!check.verify()) return false;
        if (VERIFIED.size() >= MAX) VERIFIED.clear();
        VERIFIED.add(id);
        return true;
    }

    private static ByteBuffer id(PublicKey key, byte[] signed, int off, int len, byte[] signature) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] k = key.getEncoded();
            md.update(ByteBuffer.allocate(12).putInt(k.length).putInt(len).putInt(signature.length).array());
            md.update(k);
            md.update(signed, off, len);
            md.update(signature);
            return ByteBuffer.wrap(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
