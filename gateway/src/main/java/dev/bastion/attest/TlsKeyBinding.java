package dev.bastion.attest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * Binds attestation evidence to the TLS key of the connection Bastion talks over, so the attested machine is the
 * one that holds that key: the guest puts
 * {@code SHA-512("bastion-attestation-v1" ‖ nonce ‖ SHA-256(SubjectPublicKeyInfo of its TLS certificate))} into
 * REPORT_DATA (SEV-SNP, TDX, verifier tokens; 64 bytes) or its first 32 bytes into the GPU request nonce. A
 * machine with valid evidence but another TLS key — or evidence replayed from an earlier nonce — does not match.
 */
public final class TlsKeyBinding {
    private static final byte[] CONTEXT = "bastion-attestation-v1".getBytes(StandardCharsets.US_ASCII);

    private TlsKeyBinding() {}

    /** SHA-256 of the certificate's SubjectPublicKeyInfo (what HPKP and Bastion's SPKI pins hash too). */
    public static byte[] spkiSha256(X509Certificate cert) {
        return digest("SHA-256", cert.getPublicKey().getEncoded());
    }

    /** The 64 bytes REPORT_DATA must carry for {@code nonce} and the TLS key with this SPKI hash. */
    public static byte[] reportData(byte[] nonce, byte[] spkiSha256) {
        if (nonce.length != 32 || spkiSha256.length != 32) throw new IllegalArgumentException("32-byte inputs");
        return digest("SHA-512", CONTEXT, nonce, spkiSha256);
    }

    /** The 32-byte SPDM nonce a GPU's measurements must answer. */
    public static byte[] gpuNonce(byte[] nonce, byte[] spkiSha256) {
        return Arrays.copyOf(reportData(nonce, spkiSha256), 32);
    }

    private static byte[] digest(String alg, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(alg);
            for (byte[] p : parts) md.update(p);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
