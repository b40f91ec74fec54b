package dev.bastion.attest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/**
 * X.509 for evidence: parse PEM/DER, walk a leaf-first chain to a pinned anchor at a given time, apply CRLs. The
 * walk is explicit rather than PKIX: vendor chains (AMD's RSASSA-PSS ARK/ASK, NVIDIA's five-link device chain)
 * carry extensions that generic path builders reject or ignore, and the anchor must be exactly the pinned one.
 */
final class Certificates {
    private Certificates() {}

    static X509Certificate parse(byte[] der, String what) throws EvidenceException {
        try {
            return (X509Certificate) factory().generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new EvidenceException(Refusal.MALFORMED, what + " is not an X.509 certificate");
        }
    }

    /** All certificates in PEM text (or one DER certificate), in file order. */
    static List<X509Certificate> parseAll(byte[] pemOrDer, String what) throws EvidenceException {
        try {
            Collection<? extends java.security.cert.Certificate> all =
                    factory().generateCertificates(new ByteArrayInputStream(trimPem(pemOrDer)));
            List<X509Certificate> out = new ArrayList<>();
            for (var c : all) out.add((X509Certificate) c);
            if (out.isEmpty()) throw new EvidenceException(Refusal.MALFORMED, what + " holds no certificate");
            return out;
        } catch (CertificateException | RuntimeException e) {
            throw new EvidenceException(Refusal.MALFORMED, what + " is not a certificate list");
        }
    }

    private static final java.util.Map<String, List<X509Certificate>> BUNDLED =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Bundled anchors (PEM) from the classpath, parsed once; a missing resource is a build error, not bad evidence. */
    static List<X509Certificate> resource(String name) { return BUNDLED.computeIfAbsent(name, Certificates::load); }

    private static List<X509Certificate> load(String name) {
        try (InputStream in = Certificates.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing bundled trust anchor " + name);
            return List.copyOf(parseAll(in.readAllBytes(), name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (EvidenceException e) {
            throw new IllegalStateException("bundled trust anchor " + name + " does not parse", e);
        }
    }

    static X509CRL crl(byte[] der, String what) throws EvidenceException {
        try {
            return (X509CRL) factory().generateCRL(new ByteArrayInputStream(trimPem(der)));
        } catch (CRLException | RuntimeException e) {
            throw new EvidenceException(Refusal.MALFORMED, what + " is not an X.509 CRL");
        }
    }

    /**
     * Verifies a leaf-first chain: each certificate is valid at {@code at} and signed by the next, every issuer is
     * a CA, and the last one is one of {@code anchors} (byte for byte). A chain that stops short of the anchor is
     * completed with the matching anchor.
     *
     * @return the anchor the chain ends at
     */
    static X509Certificate verifyChain(List<X509Certificate> chain, List<X509Certificate> anchors, Instant at,
                                       String what) throws EvidenceException {
        if (chain.isEmpty()) throw new EvidenceException(Refusal.MALFORMED, what + ": empty certificate chain");
        List<X509Certificate> path = new ArrayList<>(chain);
        X509Certificate last = path.getLast();
        X509Certificate anchor = anchorFor(last, anchors);
        if (anchor == null) {
            anchor = issuerAmong(last, anchors);
            if (anchor == null) {
                throw new EvidenceException(Refusal.UNTRUSTED_CHAIN, what + ": chain does not end at a trusted root ("
                        + last.getIssuerX500Principal().getName() + ")");
            }
            path.add(anchor);
        }
        for (int i = 0; i < path.size(); i++) {
            X509Certificate c = path.get(i);
            checkValidity(c, at, what);
            X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : c;
            if (i + 1 < path.size() && issuer.getBasicConstraints() < 0) {
                throw new EvidenceException(Refusal.UNTRUSTED_CHAIN, what + ": issuer "
                        + issuer.getSubjectX500Principal().getName() + " is not a CA");
            }
            if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) || !signedBy(c, issuer)) {
                throw new EvidenceException(Refusal.UNTRUSTED_CHAIN, what + ": "
                        + c.getSubjectX500Principal().getName() + " is not signed by its issuer");
            }
        }
        return anchor;
    }

    static void checkValidity(X509Certificate c, Instant at, String what) throws EvidenceException {
        try {
            c.checkValidity(Date.from(at));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new EvidenceException(Refusal.CERTIFICATE_EXPIRED, what + ": "
                    + c.getSubjectX500Principal().getName() + " is not valid at " + at);
        }
    }

    /**
     * Checks that {@code crl} is issued and signed by {@code issuer}, current at {@code at}, and does not list any
     * of {@code subjects}.
     */
    static void checkCrl(X509CRL crl, X509Certificate issuer, Instant at, List<X509Certificate> subjects,
                         String what) throws EvidenceException {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw new EvidenceException(Refusal.COLLATERAL_INVALID, what + " is not issued by "
                    + issuer.getSubjectX500Principal().getName());
        }
        if (!crlSignedBy(crl, issuer)) {
            throw new EvidenceException(Refusal.COLLATERAL_INVALID, what + " signature does not verify");
        }
        Date now = Date.from(at);
        if (crl.getThisUpdate().after(now) || crl.getNextUpdate() == null || !crl.getNextUpdate().after(now)) {
            throw new EvidenceException(Refusal.COLLATERAL_EXPIRED, what + " is not current at " + at);
        }
        for (X509Certificate s : subjects) {
            if (!s.getIssuerX500Principal().equals(crl.getIssuerX500Principal())) continue;
            X509CRLEntry entry = crl.getRevokedCertificate(s.getSerialNumber());
            if (entry != null) {
                throw new EvidenceException(Refusal.CERTIFICATE_REVOKED, what + " revokes "
                        + s.getSubjectX500Principal().getName() + " (serial " + hexSerial(s.getSerialNumber()) + ")");
            }
        }
    }

    /** The subject's common name, or "" when it has none. */
    static String commonName(X509Certificate c) {
        try {
            for (var rdn : new javax.naming.ldap.LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) return String.valueOf(rdn.getValue());
            }
        } catch (javax.naming.InvalidNameException e) {
            return "";
        }
        return "";
    }

    private static boolean crlSignedBy(X509CRL crl, X509Certificate issuer) {
        try {
            return verifiedOnce(crl.getEncoded(), issuer.getPublicKey(), () -> crl.verify(issuer.getPublicKey()));
        } catch (CRLException e) {
            return false;
        }
    }

    static Instant notAfter(List<X509Certificate> chain) {
        return chain.stream().map(c -> c.getNotAfter().toInstant()).min(Instant::compareTo).orElse(Instant.MAX);
    }

    private static boolean signedBy(X509Certificate c, X509Certificate issuer) {
        try {
            return verifiedOnce(c.getEncoded(), issuer.getPublicKey(), () -> c.verify(issuer.getPublicKey()));
        } catch (CertificateException e) {
            return false;
        }
    }

    private interface Check {
        void run() throws GeneralSecurityException;
    }

    /** A signature over whole encoded bytes (certificate, CRL), remembered once it verified. */
    private static boolean verifiedOnce(byte[] der, java.security.PublicKey key, Check check) {
        return VerifiedSignatures.verify(key, der, 0, der.length, new byte[0], () -> {
            try {
                check.run();
                return true;
            } catch (GeneralSecurityException | RuntimeException e) {
                return false;
            }
        });
    }

    private static X509Certificate anchorFor(X509Certificate c, List<X509Certificate> anchors) {
        for (X509Certificate a : anchors) if (sameEncoding(a, c)) return a;
        return null;
    }

    private static X509Certificate issuerAmong(X509Certificate c, List<X509Certificate> anchors) {
        for (X509Certificate a : anchors) {
            if (c.getIssuerX500Principal().equals(a.getSubjectX500Principal()) && signedBy(c, a)) return a;
        }
        return null;
    }

    static boolean sameEncoding(X509Certificate a, X509Certificate b) {
        try {
            return Arrays.equals(a.getEncoded(), b.getEncoded());
        } catch (CertificateException e) {
            return false;
        }
    }

    private static String hexSerial(BigInteger s) { return s.toString(16); }

    /** The JDK's PEM reader stops at text after the last END line; strip surrounding whitespace and NULs. */
    private static byte[] trimPem(byte[] in) {
        String head = new String(in, 0, Math.min(in.length, 11), StandardCharsets.ISO_8859_1);
        if (!head.startsWith("-----BEGIN")) return in;
        int end = in.length;
        while (end > 0 && (in[end - 1] == 0 || Character.isWhitespace(in[end - 1]))) end--;
        byte[] out = Arrays.copyOf(in, end + 1);
        out[end] = '\n';
        return out;
    }

    private static CertificateFactory factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
