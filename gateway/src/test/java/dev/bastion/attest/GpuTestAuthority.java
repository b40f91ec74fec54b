package dev.bastion.attest;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A stand-in NVIDIA for tests: its own device-identity root and a GPU's device key (P-384), and SPDM 1.1
 * GET_MEASUREMENTS exchanges signed by that device for any nonce — what the real H100 vector cannot give: evidence
 * for a nonce Bastion chose (the TLS binding). Laid out as {@link SpdmMeasurements} parses NVIDIA's reports.
 */
public final class GpuTestAuthority {
    private static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2099-01-01T00:00:00Z");
    private final KeyPair rootKey = SnpTestAuthority.ec();
    private final KeyPair deviceKey = SnpTestAuthority.ec();
    final X509Certificate root = cert("Test NVIDIA Device Identity CA", "Test NVIDIA Device Identity CA", rootKey,
            rootKey, true);
    final X509Certificate device = cert("Test GH100 A01 FSP BROM", "Test NVIDIA Device Identity CA", deviceKey,
            rootKey, false);

    /** The device's measurement blocks (index → value) and its signature over request and response. */
    byte[] report(byte[] nonce, Map<Integer, byte[]> measurements) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x11, (byte) 0xE0, 0x01, (byte) 0xFF});   // GET_MEASUREMENTS, signed, all
        out.writeBytes(nonce);
        out.write(0);                                                          // slot
        var record = new ByteArrayOutputStream();
        for (var m : new TreeMap<>(measurements).entrySet()) {
            byte[] v = m.getValue();
            record.write(m.getKey());
            record.write(0x01);                                                // DMTF
            le(record, v.length + 3, 2);
            record.write(0x01);                                                // value type
            le(record, v.length, 2);
            record.writeBytes(v);
        }
        out.writeBytes(new byte[] {0x11, 0x60, 0, 0, (byte) measurements.size()});
        le(out, record.size(), 3);
        out.writeBytes(record.toByteArray());
        out.writeBytes(new byte[32]);                                          // responder nonce
        byte[] driver = "550.54.15\0".getBytes(StandardCharsets.US_ASCII);
        le(out, driver.length + 4, 2);
        le(out, SpdmMeasurements.OPAQUE_DRIVER_VERSION, 2);
        le(out, driver.length, 2);
        out.writeBytes(driver);
        try {
            Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
            s.initSign(deviceKey.getPrivate());
            s.update(out.toByteArray());
            out.writeBytes(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** An honest GPU behind a TLS endpoint: its nonce is the one Bastion derives from the fresh nonce and the TLS key. */
    public Function<byte[], byte[]> boundTo(X509Certificate tlsCert, Map<Integer, byte[]> measurements) {
        byte[] spki = TlsKeyBinding.spkiSha256(tlsCert);
        return nonce -> document(report(TlsKeyBinding.gpuNonce(nonce, spki), measurements));
    }

    byte[] document(byte[] report) {
        String chain = SnpTestAuthority.pem(device) + SnpTestAuthority.pem(root);
        return ("{\"type\":\"nvidia-cc\",\"report\":\"" + Base64.getEncoder().encodeToString(report)
                + "\",\"cert_chain\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(chain) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    public String rootPem() { return SnpTestAuthority.pem(root); }

    private static void le(ByteArrayOutputStream out, int v, int bytes) {
        for (int i = 0; i < bytes; i++) out.write(v >>> (8 * i));
    }

    private static X509Certificate cert(String subject, String issuer, KeyPair subjectKey, KeyPair issuerKey, boolean ca) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer),
                    BigInteger.valueOf(System.nanoTime()), Date.from(FROM), Date.from(TO), new X500Name("CN=" + subject),
                    subjectKey.getPublic());
            if (ca) b.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA384withECDSA").build(issuerKey.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
