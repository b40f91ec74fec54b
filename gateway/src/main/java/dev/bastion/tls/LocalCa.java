package dev.bastion.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * A small certificate authority (ECDSA P-256, BouncyCastle): the automatically generated local CA for a server
 * without configured certificates, and the CA, server and client certificates tests need.
 */
public final class LocalCa {

    public enum Profile { SERVER, CLIENT }

    /** A certificate with its key and chain (leaf first, CA last). */
    public record Issued(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {
        /** Writes the chain and the PKCS#8 key as PEM (key file owner-only). */
        public void writePem(Path chainFile, Path keyFile) {
            Pem.write(chainFile, Pem.encode(chain.toArray()), false);
            Pem.write(keyFile, Pem.encode(key), true);
        }

        @Override
        public String toString() { return "Issued[" + certificate.getSubjectX500Principal() + ", key=<redacted>]"; }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final X509Certificate certificate;
    private final PrivateKey key;

    public LocalCa(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    public static LocalCa generate(String commonName, Instant notBefore, Instant notAfter) {
        try {
            KeyPair kp = keyPair();
            X500Name name = new X500Name("CN=" + commonName);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
                    Date.from(notAfter), name, kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            return new LocalCa(sign(b, kp.getPrivate()), kp.getPrivate());
        } catch (Exception e) {
            throw new TlsException("cannot generate a CA certificate", e);
        }
    }

    /**
     * Issues a leaf certificate; {@code commonName} is a CN or a full RFC 2253 DN. Each subject alternative name is
     * {@code dns:}, {@code ip:}, {@code uri:} or {@code email:} prefixed, or typed by its shape: an IP literal, a URI
     * ({@code spiffe://…}), an e-mail address, or else a DNS name.
     */
    public Issued issue(Profile profile, String commonName, List<String> altNames, Instant notBefore, Instant notAfter) {
        try {
            KeyPair kp = keyPair();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(notBefore),
                    Date.from(notAfter), new javax.security.auth.x500.X500Principal(commonName.contains("=") ? commonName : "CN=" + commonName),
                    kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    profile == Profile.SERVER ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            if (!altNames.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                for (String n : altNames) names.add(generalName(n));
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            X509Certificate leaf = sign(b, key);
            return new Issued(leaf, kp.getPrivate(), List.of(leaf, certificate));
        } catch (TlsException e) {
            throw e;
        } catch (Exception e) {
            throw new TlsException("cannot issue a certificate", e);
        }
    }

    public X509Certificate certificate() { return certificate; }

    PrivateKey key() { return key; }

    /** Writes the CA certificate and its key as PEM. */
    public void writePem(Path certFile, Path keyFile) {
        Pem.write(certFile, Pem.encode(certificate), false);
        Pem.write(keyFile, Pem.encode(key), true);
    }

    public static LocalCa readPem(Path certFile, Path keyFile) {
        return new LocalCa(Pem.certificates(certFile).getFirst(), Pem.privateKey(keyFile, null));
    }

    private static GeneralName generalName(String n) throws Exception {
        // explicit types first (dns:, ip:, uri:, email:), else guessed from the shape
        if (n.startsWith("dns:")) return new GeneralName(GeneralName.dNSName, n.substring(4));
        if (n.startsWith("ip:")) return new GeneralName(GeneralName.iPAddress, InetAddress.ofLiteral(n.substring(3)).getHostAddress());
        if (n.startsWith("uri:")) return new GeneralName(GeneralName.uniformResourceIdentifier, n.substring(4));
        if (n.startsWith("email:")) return new GeneralName(GeneralName.rfc822Name, n.substring(6));
        if (n.matches("[0-9.]+") || n.contains(":") && !n.contains("://") && !n.contains("@")) {
            return new GeneralName(GeneralName.iPAddress, InetAddress.ofLiteral(n).getHostAddress());
        }
        if (n.contains("://")) return new GeneralName(GeneralName.uniformResourceIdentifier, n);
        if (n.contains("@")) return new GeneralName(GeneralName.rfc822Name, n);
        return new GeneralName(GeneralName.dNSName, n);
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() { return new BigInteger(127, RANDOM).add(BigInteger.ONE); }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    @Override
    public String toString() { return "LocalCa[" + certificate.getSubjectX500Principal() + ", key=<redacted>]"; }
}
