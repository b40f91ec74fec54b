package dev.bastion.attest;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/**
 * A stand-in Intel for tests: root, platform CA, a PCK certificate with the SGX extension, a TCB signing key,
 * CRLs, a quoting enclave and its attestation key, TCB Info and QE identity JSON, and TDX v4 quotes with any TD
 * fields. Real quotes prove parsing and Intel's chain; this proves every decision on the accept path.
 */
public final class TdxTestAuthority {
    static final String FMSPC = "00906ed50000";
    static final byte[] QE_MRSIGNER = filled(32, 0x5a);
    static final byte[] MR_SIGNER_SEAM = filled(48, 0x33);
    static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
    static final Instant TO = Instant.parse("2099-01-01T00:00:00Z");

    private final KeyPair rootKey = ec();
    private final KeyPair caKey = ec();
    private final KeyPair pckKey = ec();
    private final KeyPair tcbKey = ec();
    private final KeyPair attKey = ec();
    final X509Certificate root;
    final X509Certificate platformCa;
    final X509Certificate pck;
    final X509Certificate tcbSigner;
    private BigInteger revokedPck;

    public TdxTestAuthority() {
        root = cert("Test SGX Root CA", "Test SGX Root CA", rootKey, rootKey, true, false);
        platformCa = cert("Test SGX PCK Platform CA", "Test SGX Root CA", caKey, rootKey, true, false);
        pck = cert("Test SGX PCK Certificate", "Test SGX PCK Platform CA", pckKey, caKey, false, true);
        tcbSigner = cert("Test SGX TCB Signing", "Test SGX Root CA", tcbKey, rootKey, false, false);
    }

    void revokePck() { revokedPck = pck.getSerialNumber(); }

    /** TD fields for a synthetic quote. */
    record Td(byte[] reportData, byte[] mrTd, byte[][] rtmrs, long tdAttributes, byte[] teeTcbSvn) {
        static Td of(byte[] reportData) {
            return new Td(reportData, filled(48, 0x11), new byte[][] {filled(48, 0), filled(48, 1), filled(48, 2),
                    filled(48, 3)}, 0, tcb(3, 0, 5));
        }

        Td withAttributes(long a) { return new Td(reportData, mrTd, rtmrs, a, teeTcbSvn); }

        Td withTeeTcbSvn(byte[] svn) { return new Td(reportData, mrTd, rtmrs, tdAttributes, svn); }
    }

    static byte[] tcb(int... first) {
        byte[] b = new byte[16];
        for (int i = 0; i < first.length; i++) b[i] = (byte) first[i];
        return b;
    }

    byte[] quote(Td td) {
        ByteBuffer h = ByteBuffer.allocate(TdxQuote.HEADER + 584).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort((short) 4).putShort((short) 2).putInt(0x81).putInt(0).put(filled(16, 0x93)).put(new byte[20]);
        h.put(td.teeTcbSvn()).put(filled(48, 0x44)).put(MR_SIGNER_SEAM).put(new byte[8]);
        h.putLong(td.tdAttributes()).put(new byte[8]).put(td.mrTd()).put(new byte[48 * 3]);
        for (byte[] r : td.rtmrs()) h.put(r);
        h.put(td.reportData());
        byte[] signed = h.array();
        byte[] attXy = xy((ECPublicKey) attKey.getPublic());
        byte[] auth = filled(32, 0x7e);
        byte[] qeReport = qeReport(Ecdsa.sha256(attXy, auth));
        byte[] chain = (SnpTestAuthority.pem(pck) + SnpTestAuthority.pem(platformCa) + SnpTestAuthority.pem(root))
                .getBytes(StandardCharsets.US_ASCII);
        ByteBuffer inner = ByteBuffer.allocate(384 + 64 + 2 + auth.length + 6 + chain.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        inner.put(qeReport).put(sign(pckKey.getPrivate(), qeReport)).putShort((short) auth.length).put(auth)
                .putShort((short) 5).putInt(chain.length).put(chain);
        byte[] cert = inner.array();
        ByteBuffer sig = ByteBuffer.allocate(64 + 64 + 6 + cert.length).order(ByteOrder.LITTLE_ENDIAN);
        sig.put(sign(attKey.getPrivate(), signed)).put(attXy).putShort((short) 6).putInt(cert.length).put(cert);
        byte[] sigData = sig.array();
        ByteBuffer q = ByteBuffer.allocate(signed.length + 4 + sigData.length).order(ByteOrder.LITTLE_ENDIAN);
        return q.put(signed).putInt(sigData.length).put(sigData).array();
    }

    private byte[] qeReport(byte[] bindingHash) {
        ByteBuffer r = ByteBuffer.allocate(384).order(ByteOrder.LITTLE_ENDIAN);
        r.put(new byte[16]).putInt(0).put(new byte[28]).put(HexFormat.of().parseHex("11000000000000000000000000000000"));
        r.put(filled(32, 0x66)).put(new byte[32]).put(QE_MRSIGNER).put(new byte[96]).putShort((short) 2)
                .putShort((short) 4).put(new byte[60]).put(Arrays.copyOf(bindingHash, 64));
        return r.array();
    }

    TdxCollateral collateral(String tcbStatus, Instant issued, Instant next) {
        String comps16 = components(5, 5, 2, 2);
        String tdxComps = components(3, 0, 5);
        String tcbInfo = "{\"id\":\"TDX\",\"version\":3,\"issueDate\":\"" + issued + "\",\"nextUpdate\":\"" + next
                + "\",\"fmspc\":\"" + FMSPC + "\",\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":17,"
                + "\"tdxModule\":{\"mrsigner\":\"" + HexFormat.of().formatHex(MR_SIGNER_SEAM)
                + "\",\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\"},"
                + "\"tcbLevels\":[{\"tcb\":{\"sgxtcbcomponents\":" + comps16 + ",\"pcesvn\":11,\"tdxtcbcomponents\":"
                + tdxComps + "},\"tcbDate\":\"2023-01-01T00:00:00Z\",\"tcbStatus\":\"" + tcbStatus + "\"}]}";
        String qe = "{\"id\":\"TD_QE\",\"version\":2,\"issueDate\":\"" + issued + "\",\"nextUpdate\":\"" + next
                + "\",\"tcbEvaluationDataNumber\":17,\"miscselect\":\"00000000\",\"miscselectMask\":\"FFFFFFFF\","
                + "\"attributes\":\"11000000000000000000000000000000\",\"attributesMask\":"
                + "\"FBFFFFFFFFFFFFFF0000000000000000\",\"mrsigner\":\"" + HexFormat.of().formatHex(QE_MRSIGNER)
                + "\",\"isvprodid\":2,\"tcbLevels\":[{\"tcb\":{\"isvsvn\":4},\"tcbDate\":\"2023-01-01T00:00:00Z\","
                + "\"tcbStatus\":\"UpToDate\"}]}";
        byte[] chain = (SnpTestAuthority.pem(tcbSigner) + SnpTestAuthority.pem(root)).getBytes(StandardCharsets.US_ASCII);
        return new TdxCollateral(signedJson("tcbInfo", tcbInfo), chain, signedJson("enclaveIdentity", qe), chain,
                crl(caKey.getPrivate(), "Test SGX PCK Platform CA", issued, next, revokedPck),
                crl(rootKey.getPrivate(), "Test SGX Root CA", issued, next, null));
    }

    private byte[] signedJson(String name, String body) {
        byte[] sig = sign(tcbKey.getPrivate(), body.getBytes(StandardCharsets.UTF_8));
        return ("{\"" + name + "\":" + body + ",\"signature\":\"" + HexFormat.of().formatHex(sig) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String components(int... svns) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 16; i++) {
            if (i > 0) b.append(',');
            b.append("{\"svn\":").append(i < svns.length ? svns[i] : 0).append('}');
        }
        return b.append(']').toString();
    }

    private static byte[] crl(PrivateKey key, String issuer, Instant thisUpdate, Instant next, BigInteger revoked) {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(name(issuer), Date.from(thisUpdate));
            b.setNextUpdate(Date.from(next));
            if (revoked != null) b.addCRLEntry(revoked, Date.from(thisUpdate), CRLReason.keyCompromise);
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
            return new JcaX509CRLConverter().getCRL(b.build(signer)).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate cert(String cn, String issuerCn, KeyPair subject, KeyPair issuer, boolean ca, boolean sgx) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name(issuerCn),
                    BigInteger.valueOf(System.nanoTime()), Date.from(FROM), Date.from(TO), name(cn),
                    subject.getPublic());
            if (ca) b.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
            if (sgx) b.addExtension(new ASN1ObjectIdentifier("1.2.840.113741.1.13.1"), false, sgxExtension());
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static DERSequence sgxExtension() {
        String base = "1.2.840.113741.1.13.1";
        ASN1EncodableVector tcb = new ASN1EncodableVector();
        int[] svns = {5, 5, 2, 2};
        for (int i = 1; i <= 16; i++) {
            tcb.add(pair(base + ".2." + i, new ASN1Integer(i <= svns.length ? svns[i - 1] : 0)));
        }
        tcb.add(pair(base + ".2.17", new ASN1Integer(11)));
        tcb.add(pair(base + ".2.18", new DEROctetString(new byte[16])));
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(pair(base + ".1", new DEROctetString(new byte[16])));
        v.add(pair(base + ".2", new DERSequence(tcb)));
        v.add(pair(base + ".3", new DEROctetString(new byte[2])));
        v.add(pair(base + ".4", new DEROctetString(HexFormat.of().parseHex(FMSPC))));
        return new DERSequence(v);
    }

    private static DERSequence pair(String oid, org.bouncycastle.asn1.ASN1Encodable value) {
        return new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1ObjectIdentifier(oid), value});
    }

    private static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] xy(ECPublicKey k) {
        byte[] out = new byte[64];
        byte[] x = k.getW().getAffineX().toByteArray();
        byte[] y = k.getW().getAffineY().toByteArray();
        System.arraycopy(x, Math.max(0, x.length - 32), out, 32 - Math.min(32, x.length), Math.min(32, x.length));
        System.arraycopy(y, Math.max(0, y.length - 32), out, 64 - Math.min(32, y.length), Math.min(32, y.length));
        return out;
    }

    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    private static X500Name name(String cn) { return new X500Name("CN=" + cn + ",O=Bastion Test Intel"); }

    private static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<X509Certificate> roots() { return List.of(root); }
}
