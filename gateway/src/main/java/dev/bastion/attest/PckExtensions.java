package dev.bastion.attest;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The SGX extension of a PCK certificate (Intel "SGX PCK Certificate and CRL Profile"): the platform's family
 * (FMSPC), PCE id and the SGX TCB the certificate was issued for.
 *
 * @param sgxTcbSvns the 16 SGX TCB component SVNs
 */
record PckExtensions(String fmspc, String pceId, int[] sgxTcbSvns, int pceSvn) {
    private static final String SGX = "1.2.840.113741.1.13.1";

    static PckExtensions read(X509Certificate pck) throws EvidenceException {
        byte[] ext = pck.getExtensionValue(SGX);
        if (ext == null) throw new EvidenceException(Refusal.MALFORMED, "PCK certificate lacks the SGX extension");
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(
                    ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets()));
            String fmspc = null;
            String pceId = null;
            int[] svns = null;
            int pceSvn = -1;
            for (ASN1Encodable e : seq) {
                ASN1Sequence pair = ASN1Sequence.getInstance(e);
                String oid = ASN1ObjectIdentifier.getInstance(pair.getObjectAt(0)).getId();
                ASN1Encodable value = pair.getObjectAt(1);
                switch (oid.substring(SGX.length())) {
                    case ".3" -> pceId = HexFormat.of().formatHex(ASN1OctetString.getInstance(value).getOctets());
                    case ".4" -> fmspc = HexFormat.of().formatHex(ASN1OctetString.getInstance(value).getOctets());
                    case ".2" -> {
                        svns = new int[16];
                        for (ASN1Encodable t : ASN1Sequence.getInstance(value)) {
                            ASN1Sequence comp = ASN1Sequence.getInstance(t);
                            String cid = ASN1ObjectIdentifier.getInstance(comp.getObjectAt(0)).getId();
                            int n = Integer.parseInt(cid.substring(cid.lastIndexOf('.') + 1));
                            if (n >= 1 && n <= 16) {
                                svns[n - 1] = ASN1Integer.getInstance(comp.getObjectAt(1)).intValueExact();
                            } else if (n == 17) {
                                pceSvn = ASN1Integer.getInstance(comp.getObjectAt(1)).intValueExact();
                            }
                        }
                    }
                    default -> { }
                }
            }
            if (fmspc == null || pceId == null || svns == null || pceSvn < 0) {
                throw new EvidenceException(Refusal.MALFORMED, "PCK SGX extension is incomplete");
            }
            return new PckExtensions(fmspc, pceId, svns, pceSvn);
        } catch (RuntimeException | java.io.IOException e) {
            throw new EvidenceException(Refusal.MALFORMED, "PCK SGX extension does not parse");
        }
    }
}
