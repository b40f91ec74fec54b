package dev.bastion.attest;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

import java.io.IOException;
import java.security.cert.X509Certificate;

/**
 * The AMD-specific extensions of a VCEK/VLEK certificate (AMD "Versioned Chip Endorsement Key" specification):
 * the TCB it was issued for, the product name, and the chip's hardware id.
 */
record AmdKeyExtensions(String productName, SnpTcb tcb, byte[] hardwareId) {
    private static final String BASE = "1.3.6.1.4.1.3704.1.";

    static AmdKeyExtensions read(X509Certificate cert) throws EvidenceException {
        String product = string(cert, BASE + "2");
        int bl = integer(cert, BASE + "3.1");
        int tee = integer(cert, BASE + "3.2");
        int snp = integer(cert, BASE + "3.3");
        int ucode = integer(cert, BASE + "3.8");
        int fmc = cert.getExtensionValue(BASE + "3.9") == null ? 0 : integer(cert, BASE + "3.9");
        byte[] hwid = raw(cert, BASE + "4");
        return new AmdKeyExtensions(product, new SnpTcb(bl, tee, snp, ucode, fmc), hwid);
    }

    private static byte[] raw(X509Certificate cert, String oid) {
        byte[] ext = cert.getExtensionValue(oid);
        return ext == null ? null : ASN1OctetString.getInstance(ext).getOctets();
    }

    private static int integer(X509Certificate cert, String oid) throws EvidenceException {
        byte[] v = raw(cert, oid);
        if (v == null) throw new EvidenceException(Refusal.MALFORMED, "endorsement key lacks TCB extension " + oid);
        try {
            return ASN1Integer.getInstance(ASN1Primitive.fromByteArray(v)).intValueExact();
        } catch (IOException | RuntimeException e) {
            throw new EvidenceException(Refusal.MALFORMED, "endorsement key extension " + oid + " is not an integer");
        }
    }

    private static String string(X509Certificate cert, String oid) throws EvidenceException {
        byte[] v = raw(cert, oid);
        if (v == null) return "";
        try {
            return ((ASN1String) ASN1Primitive.fromByteArray(v)).getString();
        } catch (IOException | RuntimeException e) {
            throw new EvidenceException(Refusal.MALFORMED, "endorsement key product name is not a string");
        }
    }
}
