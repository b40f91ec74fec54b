package dev.bastion.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

/** Certificate fingerprints in the forms operators compare: colon hex (like openssl) and SPKI pins (base64). */
public final class Fingerprints {
    private Fingerprints() {}

    /** SHA-256 of the DER certificate, {@code AB:CD:…}, as {@code openssl x509 -fingerprint -sha256} prints it. */
    public static String sha256(X509Certificate cert) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest(cert.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new TlsException("certificate cannot be encoded", e);
        }
    }

    /** Base64 SHA-256 of the SubjectPublicKeyInfo: the value for upstream {@code pins} (RFC 7469 style). */
    public static String spkiSha256(X509Certificate cert) {
        return Base64.getEncoder().encodeToString(digest(cert.getPublicKey().getEncoded()));
    }

    static byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
