package dev.bastion.attest;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;

/**
 * A stand-in AMD for tests: its own ARK → ASK → VCEK (P-384, same names and extensions as AMD's) and synthetic
 * SEV-SNP reports signed by that VCEK, so tests can set any field. Configure {@link #ark()} as the trust anchor.
 */
public final class SnpTestAuthority {
    public static final SnpTcb TCB = new SnpTcb(3, 0, 8, 115, 0);
    private static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2099-01-01T00:00:00Z");

    private final KeyPair arkKey = ec();
    private final KeyPair askKey = ec();
    private final KeyPair vcekKey = ec();
    private final X509Certificate ark;
    private final X509Certificate ask;
    private final X509Certificate vcek;
    private final byte[] chipId = new byte[64];

    public SnpTestAuthority() { this(TCB, TO); }

    public SnpTestAuthority(SnpTcb certTcb, Instant vcekNotAfter) {
        new java.security.SecureRandom().nextBytes(chipId);
        ark = cert(name("ARK-Milan"), name("ARK-Milan"), arkKey, arkKey, true, TO, null);
        ask = cert(name("SEV-Milan"), name("ARK-Milan"), askKey, arkKey, true, TO, null);
        vcek = cert(name("SEV-VCEK"), name("SEV-Milan"), vcekKey, askKey, false, vcekNotAfter, certTcb);
    }

    public X509Certificate ark() { return ark; }

    public byte[] vcekDer() {
        try {
            return vcek.getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** ASK then ARK, PEM: what an extended report's certificate table carries. */
    public byte[] chainPem() { return (pem(ask) + pem(ark)).getBytes(); }

    public SevSnpEvidence evidence(byte[] report) { return new SevSnpEvidence(report, vcekDer(), chainPem()); }

    /** A report with the given fields, signed by this authority's VCEK. */
    public byte[] report(byte[] reportData, byte[] measurement, long policy, SnpTcb reported) {
        return report(reportData, measurement, policy, reported, 0);
    }

    public byte[] report(byte[] reportData, byte[] measurement, long policy, SnpTcb reported, int vmpl) {
        ByteBuffer b = ByteBuffer.allocate(SevSnpReport.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 2).putInt(0x30, vmpl).putLong(0x08, policy).putInt(0x34, 1).putLong(0x38, encode(reported));
        b.put(0x50, reportData).put(0x90, measurement).putLong(0x180, encode(reported)).put(0x1A0, chipId);
        byte[] r = b.array();
        try {
            Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
            s.initSign(vcekKey.getPrivate());
            s.update(r, 0, SevSnpReport.SIGNED_LENGTH);
            byte[] rs = s.sign();
            for (int i = 0; i < 48; i++) {
                r[0x2A0 + i] = rs[47 - i];
                r[0x2E8 + i] = rs[95 - i];
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return r;
    }

    public static long encode(SnpTcb t) {
        return (t.bootloader() & 0xffL) | (t.tee() & 0xffL) << 8 | (t.snp() & 0xffL) << 48
                | (t.microcode() & 0xffL) << 56;
    }

    private X509Certificate cert(X500Name subject, X500Name issuer, KeyPair subjectKey, KeyPair issuerKey, boolean ca,
                                 Instant notAfter, SnpTcb tcb) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(System.nanoTime()),
                    Date.from(FROM), Date.from(notAfter), subject, subjectKey.getPublic());
            if (ca) b.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
            if (tcb != null) {
                String base = "1.3.6.1.4.1.3704.1.";
                b.addExtension(new ASN1ObjectIdentifier(base + "2"), false, new DERIA5String("Milan-B0"));
                b.addExtension(new ASN1ObjectIdentifier(base + "3.1"), false, new ASN1Integer(tcb.bootloader()));
                b.addExtension(new ASN1ObjectIdentifier(base + "3.2"), false, new ASN1Integer(tcb.tee()));
                b.addExtension(new ASN1ObjectIdentifier(base + "3.3"), false, new ASN1Integer(tcb.snp()));
                b.addExtension(new ASN1ObjectIdentifier(base + "3.8"), false, new ASN1Integer(tcb.microcode()));
                b.addExtension(new Extension(new ASN1ObjectIdentifier(base + "4"), false, chipId));
            }
            var signer = new JcaContentSignerBuilder("SHA384withECDSA").build(issuerKey.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X500Name name(String cn) {
        return new X500Name("CN=" + cn + ",O=Bastion Test AMD,OU=Engineering");
    }

    public static String pemOf(X509Certificate c) { return pem(c); }

    static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(
                    c.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh P-384 key pair (AMD's and NVIDIA's curve). */
    static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp384r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Instant later(Instant t, long days) { return t.plus(days, ChronoUnit.DAYS); }
}
