package dev.bastion.attest;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;

/** ECDSA over the raw signature and key encodings that attestation formats use (no DER in the evidence). */
final class Ecdsa {
    private Ecdsa() {}

    /**
     * Verifies a fixed-width big-endian {@code r ‖ s} signature.
     *
     * @param algorithm JDK name, e.g. {@code SHA384withECDSA}
     */
    static boolean verifyRaw(PublicKey key, String algorithm, byte[] rs, byte[] data, int off, int len) {
        try {
            Signature s = Signature.getInstance(algorithm + "inP1363Format");
            s.initVerify(key);
            s.update(data, off, len);
            return s.verify(rs);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** AMD stores r and s little-endian in 72-byte fields; returns the {@code size}-byte big-endian r ‖ s. */
    static byte[] fromLittleEndianFields(byte[] r72, byte[] s72, int size) throws EvidenceException {
        byte[] out = new byte[2 * size];
        copyReversed(r72, out, 0, size);
        copyReversed(s72, out, size, size);
        return out;
    }

    private static void copyReversed(byte[] field, byte[] out, int at, int size) throws EvidenceException {
        for (int i = size; i < field.length; i++) {
            if (field[i] != 0) throw new EvidenceException(Refusal.MALFORMED, "signature component too large");
        }
        for (int i = 0; i < size; i++) out[at + i] = field[size - 1 - i];
    }

    /** A P-256 public key from the 64-byte {@code x ‖ y} encoding TDX quotes carry. */
    static ECPublicKey p256(byte[] xy) throws EvidenceException {
        if (xy.length != 64) throw new EvidenceException(Refusal.MALFORMED, "attestation key is not 64 bytes");
        try {
            ECParameterSpec params = P256.params;
            ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOf(xy, 32)),
                    new BigInteger(1, Arrays.copyOfRange(xy, 32, 64)));
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new EvidenceException(Refusal.MALFORMED, "attestation key is not a P-256 point");
        }
    }

    static byte[] sha256(byte[]... parts) { return digest("SHA-256", parts); }

    static byte[] sha384(byte[]... parts) { return digest("SHA-384", parts); }

    private static byte[] digest(String alg, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(alg);
            for (byte[] p : parts) md.update(p);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Curve parameters for secp256r1 from the JDK's provider. */
    private static final class P256 {
        static final ECParameterSpec params;

        static {
            try {
                var ap = java.security.AlgorithmParameters.getInstance("EC");
                ap.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
                params = ap.getParameterSpec(ECParameterSpec.class);
            } catch (GeneralSecurityException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
