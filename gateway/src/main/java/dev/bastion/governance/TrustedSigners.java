package dev.bastion.governance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may vouch for a model artifact: public keys (PEM SubjectPublicKeyInfo; EC P-256/384/521 or Ed25519) and
 * certificate authorities (PEM roots) from {@code governance.signing}. A certificate chain is checked against the
 * roots at the signing certificate's start of validity (signing certificates are short-lived; the signature is
 * what must have been made while it was valid), without revocation lookups, and the signing certificate must allow
 * digital signatures or code signing.
 */
public final class TrustedSigners {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

    /** A verifying key and, for certificates, the signer's subject. */
    record Signer(PublicKey key, String name) {}

    private final List<Signer> keys;
    private final Set<TrustAnchor> roots;

    private TrustedSigners(List<Signer> keys, Set<TrustAnchor> roots) {
        this.keys = List.copyOf(keys);
        this.roots = Set.copyOf(roots);
    }

    public static TrustedSigners none() { return new TrustedSigners(List.of(), Set.of()); }

    /** Loads PEM public key files and PEM root certificate files; a file that cannot be used stops the start. */
    public static TrustedSigners load(List<Path> keyFiles, List<Path> rootFiles) {
        List<Signer> keys = new ArrayList<>();
        Set<TrustAnchor> roots = new HashSet<>();
        for (Path f : keyFiles) {
            for (byte[] der : pem(f, "PUBLIC KEY")) keys.add(new Signer(publicKey(der, f), null));
        }
        for (Path f : rootFiles) {
            for (byte[] der : pem(f, "CERTIFICATE")) roots.add(new TrustAnchor(certificate(der, f), null));
        }
        return new TrustedSigners(keys, roots);
    }

    boolean isEmpty() { return keys.isEmpty() && roots.isEmpty(); }

    List<Signer> keys() { return keys; }

    /** The signing certificate's key, if the chain (leaf first, DER) leads to a configured root. */
    Optional<Signer> chainSigner(List<byte[]> chainDer) {
        if (roots.isEmpty()) return Optional.empty();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> chain = new ArrayList<>();
            for (byte[] der : chainDer) {
                X509Certificate c = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
                if (roots.stream().anyMatch(a -> a.getTrustedCert().equals(c))) break; // the root itself is not part of the path
                chain.add(c);
            }
            if (chain.isEmpty()) return Optional.empty();
            X509Certificate leaf = chain.getFirst();
            CertPath path = cf.generateCertPath(chain);
            PKIXParameters params = new PKIXParameters(roots);
            params.setRevocationEnabled(false);
            params.setDate(new Date(leaf.getNotBefore().getTime()));
            CertPathValidator.getInstance("PKIX").validate(path, params);
            if (!maySign(leaf)) return Optional.empty();
            return Optional.of(new Signer(leaf.getPublicKey(), leaf.getSubjectX500Principal().getName()));
        } catch (GeneralSecurityException | ClassCastException e) {
            return Optional.empty();
        }
    }

    private static boolean maySign(X509Certificate leaf) throws java.security.cert.CertificateParsingException {
        boolean[] usage = leaf.getKeyUsage();
        if (usage != null && usage[0]) return true; // digitalSignature
        List<String> eku = leaf.getExtendedKeyUsage();
        return eku != null && eku.contains(CODE_SIGNING);
    }

    private static List<byte[]> pem(Path file, String type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("signing trust file " + file + " cannot be read", e);
        }
        List<byte[]> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) out.add(Base64.getMimeDecoder().decode(m.group(2)));
        }
        if (out.isEmpty()) throw new IllegalStateException("signing trust file " + file + " holds no PEM " + type);
        return out;
    }

    private static PublicKey publicKey(byte[] der, Path file) {
        for (String alg : List.of("EC", "Ed25519")) {
            try {
                PublicKey k = KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
                SignatureVerifier.algorithm(k);
                return k;
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // try the next algorithm
            }
        }
        throw new IllegalStateException("signing key " + file + " is not an EC (P-256/384/521) or Ed25519 public key");
    }

    private static X509Certificate certificate(byte[] der, Path file) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing root " + file + " is not an X.509 certificate", e);
        }
    }
}
