package dev.bastion.attest;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies AMD SEV-SNP attestation reports: VCEK/VLEK → ASK/ASVK → ARK chain to a pinned AMD root, the report's
 * ECDSA P-384 signature, the TCB the key was issued for against the TCB the report claims, the guest policy
 * (DEBUG never allowed), minimum TCB, allowed measurements and the REPORT_DATA binding.
 */
public final class SevSnpVerifier {
    private static final HexFormat HEX = HexFormat.of();
    private final List<X509Certificate> arks;
    private final Clock clock;

    /** Trusts AMD's roots for Milan, Genoa and Turin as bundled with Bastion. */
    public static SevSnpVerifier withAmdRoots(Clock clock) {
        List<X509Certificate> roots = new ArrayList<>();
        for (AmdProduct p : AmdProduct.values()) roots.add(p.bundledArk());
        return new SevSnpVerifier(roots, clock);
    }

    /** @param arks the AMD root keys to trust (self-signed, subject {@code CN=ARK-<product>}) */
    public SevSnpVerifier(List<X509Certificate> arks, Clock clock) {
        this.arks = List.copyOf(arks);
        this.clock = clock;
    }

    /**
     * @param expectedReportData the 64 bytes REPORT_DATA must equal (a nonce, a TLS key hash); never skipped
     */
    public Verdict verify(SevSnpEvidence evidence, SevSnpPolicy policy, byte[] expectedReportData) {
        try {
            return check(evidence, policy, expectedReportData);
        } catch (EvidenceException e) {
            return e.verdict();
        }
    }

    private Verdict check(SevSnpEvidence evidence, SevSnpPolicy policy, byte[] expected) throws EvidenceException {
        Instant now = clock.instant();
        SevSnpReport report = SevSnpReport.parse(evidence.report());
        if (report.signatureAlgorithm() != 1) {
            throw new EvidenceException(Refusal.UNSUPPORTED, "signature algorithm " + report.signatureAlgorithm());
        }
        boolean vlek = switch (report.signingKey()) {
            case 0 -> false;
            case 1 -> true;
            default -> throw new EvidenceException(Refusal.UNSUPPORTED, "report signed by key kind "
                    + report.signingKey());
        };
        if (vlek && !policy.allowVlek()) {
            throw new EvidenceException(Refusal.POLICY_VIOLATION, "VLEK-signed reports are not accepted");
        }
        X509Certificate key = Certificates.parseAll(evidence.endorsementKeyCert(), "endorsement key").getFirst();
        String cn = Certificates.commonName(key);
        if (!cn.equals("SEV-" + (vlek ? "VLEK" : "VCEK"))) {
            throw new EvidenceException(Refusal.UNTRUSTED_CHAIN, "report names a " + (vlek ? "VLEK" : "VCEK")
                    + " but the certificate is " + cn);
        }
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(key);
        chain.addAll(intermediates(evidence, key, vlek));
        X509Certificate anchor = Certificates.verifyChain(chain, arks, now, "AMD chain");
        AmdProduct product = AmdProduct.ofArk(anchor);
        if (product == null) throw new EvidenceException(Refusal.UNSUPPORTED, "unknown AMD product root");
        AmdProduct reported = AmdProduct.ofCpuid(report.cpuidFamily(), report.cpuidModel());
        if (reported != null && reported != product) {
            throw new EvidenceException(Refusal.UNTRUSTED_CHAIN, "report from " + reported.productName()
                    + " but chain for " + product.productName());
        }

        byte[] rs = Ecdsa.fromLittleEndianFields(report.signatureR(), report.signatureS(), 48);
        if (!Ecdsa.verifyRaw(key.getPublicKey(), "SHA384withECDSA", rs, evidence.report(), 0,
                SevSnpReport.SIGNED_LENGTH)) {
            throw new EvidenceException(Refusal.BAD_SIGNATURE, "report signature does not verify with the "
                    + (vlek ? "VLEK" : "VCEK"));
        }

        AmdKeyExtensions ext = AmdKeyExtensions.read(key);
        SnpTcb reportedTcb = SnpTcb.decode(report.reportedTcb(), product);
        if (!ext.tcb().equals(reportedTcb)) {
            throw new EvidenceException(Refusal.TCB_MISMATCH, "report claims TCB " + reportedTcb
                    + " but the key was issued for " + ext.tcb());
        }
        if (!vlek && !report.chipIdMasked() && ext.hardwareId() != null && !chipMatches(ext.hardwareId(),
                report.chipId())) {
            throw new EvidenceException(Refusal.UNTRUSTED_CHAIN, "VCEK was issued for another chip");
        }

        long pol = report.policy();
        if ((pol & SevSnpReport.POLICY_DEBUG) != 0) {
            throw new EvidenceException(Refusal.DEBUG_ENABLED, "guest policy allows debugging (policy 0x"
                    + Long.toHexString(pol) + ")");
        }
        if ((pol & SevSnpReport.POLICY_RESERVED_ONE) == 0) {
            throw new EvidenceException(Refusal.MALFORMED, "guest policy reserved bit 17 is not set");
        }
        if ((pol & SevSnpReport.POLICY_MIGRATE_MA) != 0 && !policy.allowMigrationAgent()) {
            throw new EvidenceException(Refusal.POLICY_VIOLATION, "guest may be migrated by a migration agent");
        }
        if ((pol & SevSnpReport.POLICY_SMT) != 0 && !policy.allowSmt()) {
            throw new EvidenceException(Refusal.POLICY_VIOLATION, "guest policy allows SMT");
        }
        if (report.vmpl() > policy.maxVmpl()) {
            throw new EvidenceException(Refusal.POLICY_VIOLATION, "report from VMPL " + report.vmpl());
        }
        if (policy.minimumTcb() != null && !reportedTcb.atLeast(policy.minimumTcb())) {
            throw new EvidenceException(Refusal.TCB_NOT_ACCEPTED, "TCB " + reportedTcb + " below minimum "
                    + policy.minimumTcb());
        }
        if (!policy.measurements().allows(report.measurement())) {
            throw new EvidenceException(Refusal.MEASUREMENT_NOT_ALLOWED, "measurement "
                    + HEX.formatHex(report.measurement()) + " is not allowed");
        }
        if (expected == null || !MessageDigest.isEqual(expected, report.reportData())) {
            throw new EvidenceException(Refusal.BINDING_MISMATCH, "REPORT_DATA does not carry the expected binding");
        }

        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("product", product.productName());
        claims.put("tcb", reportedTcb.toString());
        claims.put("policy", "0x" + Long.toHexString(pol));
        claims.put("vmpl", Integer.toString(report.vmpl()));
        claims.put("signing_key", vlek ? "vlek" : "vcek");
        claims.put("guest_svn", Long.toString(report.guestSvn()));
        claims.put("host_data", HEX.formatHex(report.hostData()));
        return new Verdict.Attested(Tee.SEV_SNP, HEX.formatHex(report.measurement()), report.reportData(),
                HEX.formatHex(Ecdsa.sha256(evidence.report())), Certificates.notAfter(chain), claims);
    }

    /** The chain the evidence carries, else the bundled intermediate whose subject issued the key. */
    private static List<X509Certificate> intermediates(SevSnpEvidence evidence, X509Certificate key, boolean vlek)
            throws EvidenceException {
        if (evidence.chain() != null) return Certificates.parseAll(evidence.chain(), "AMD chain");
        for (AmdProduct p : AmdProduct.values()) {
            List<X509Certificate> bundled = p.bundledChain(vlek);
            if (bundled.getFirst().getSubjectX500Principal().equals(key.getIssuerX500Principal())) {
                return bundled.subList(0, 1);
            }
        }
        throw new EvidenceException(Refusal.UNTRUSTED_CHAIN, "no known AMD intermediate issued "
                + key.getIssuerX500Principal().getName());
    }

    /** Turin VCEKs carry an 8-byte hardware id: the start of the 64-byte CHIP_ID. */
    private static boolean chipMatches(byte[] hwid, byte[] chipId) {
        if (hwid.length > chipId.length) return false;
        return MessageDigest.isEqual(hwid, java.util.Arrays.copyOf(chipId, hwid.length));
    }
}
