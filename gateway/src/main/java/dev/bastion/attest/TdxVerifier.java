package dev.bastion.attest;

import com.fasterxml.jackson.databind.JsonNode;

import java.security.MessageDigest;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies Intel TDX DCAP quotes (v4 and v5): the PCK chain to the Intel SGX root with both CRLs, the quoting
 * enclave's report (signed by the PCK key, binding the attestation key, matching Intel's QE identity), the quote
 * signature, the platform's TCB level from TCB Info for its FMSPC, the TDX module identity, then the TD itself:
 * never in debug mode, MRTD and RTMRs on the allow-lists, REPORT_DATA carrying the expected binding.
 */
public final class TdxVerifier {
    private static final HexFormat HEX = HexFormat.of();
    private final List<X509Certificate> roots;
    private final Clock clock;

    public static TdxVerifier withIntelRoot(Clock clock) {
        return new TdxVerifier(Certificates.resource("roots/intel-sgx-root.pem"), clock);
    }

    public TdxVerifier(List<X509Certificate> roots, Clock clock) {
        this.roots = List.copyOf(roots);
        this.clock = clock;
    }

    public Verdict verify(byte[] quote, TdxCollateral collateral, TdxPolicy policy, byte[] expectedReportData) {
        try {
            return check(quote, collateral, policy, expectedReportData);
        } catch (EvidenceException e) {
            return e.verdict();
        }
    }

    private Verdict check(byte[] raw, TdxCollateral c, TdxPolicy policy, byte[] expected) throws EvidenceException {
        Instant now = clock.instant();
        TdxQuote q = TdxQuote.parse(raw);
        List<Instant> expiries = new ArrayList<>();

        // 1. PCK chain to the pinned root (revocation once the quote is known to be intact)
        List<X509Certificate> chain = Certificates.parseAll(q.pckChainPem(), "PCK chain");
        X509Certificate root = Certificates.verifyChain(chain, roots, now, "PCK chain");
        if (chain.size() < 2 || Certificates.sameEncoding(chain.get(1), root)) {
            throw new EvidenceException(Refusal.UNTRUSTED_CHAIN, "PCK chain lacks the issuing CA");
        }
        X509Certificate pck = chain.getFirst();
        expiries.add(Certificates.notAfter(chain));

        // 2. quoting enclave report: signed by the PCK key and binding the attestation key
        if (!Ecdsa.verifyRaw(pck.getPublicKey(), "SHA256withECDSA", q.qeReportSignature(), q.qeReport(), 0,
                q.qeReport().length)) {
            throw new EvidenceException(Refusal.BAD_SIGNATURE, "QE report signature does not verify with the PCK key");
        }
        SgxReportBody qe = SgxReportBody.parse(q.qeReport());
        byte[] binding = Ecdsa.sha256(q.attestationKey(), q.qeAuthData());
        if (!MessageDigest.isEqual(binding, Arrays.copyOf(qe.reportData(), 32))
                || !Arrays.equals(new byte[32], Arrays.copyOfRange(qe.reportData(), 32, 64))) {
            throw new EvidenceException(Refusal.QUOTING_ENCLAVE_INVALID,
                    "QE report does not bind the attestation key");
        }

        // 3. the quote itself
        if (!Ecdsa.verifyRaw(Ecdsa.p256(q.attestationKey()), "SHA256withECDSA", q.signature(), raw, 0,
                q.signedLength())) {
            throw new EvidenceException(Refusal.BAD_SIGNATURE, "quote signature does not verify with the attestation key");
        }

        // 4. revocation: root CRL over the intermediate, PCK CRL over the leaf
        X509CRL rootCrl = Certificates.crl(c.rootCrl(), "root CRL");
        X509CRL pckCrl = Certificates.crl(c.pckCrl(), "PCK CRL");
        Certificates.checkCrl(rootCrl, root, now, chain.subList(1, chain.size()), "root CRL");
        Certificates.checkCrl(pckCrl, chain.get(1), now, List.of(pck), "PCK CRL");
        expiries.add(rootCrl.getNextUpdate().toInstant());
        expiries.add(pckCrl.getNextUpdate().toInstant());

        // 5. collateral: signed by Intel's TCB signing key, current, for this platform
        JsonNode tcbInfo = signedCollateral(c.tcbInfo(), c.tcbInfoIssuerChain(), "tcbInfo", rootCrl, now, expiries,
                "TCB Info");
        JsonNode qeIdentity = signedCollateral(c.qeIdentity(), c.qeIdentityIssuerChain(), "enclaveIdentity", rootCrl,
                now, expiries, "QE identity");
        PckExtensions ext = PckExtensions.read(pck);
        if (!"TDX".equals(tcbInfo.path("id").asText()) || tcbInfo.path("version").asInt() < 3) {
            throw new EvidenceException(Refusal.COLLATERAL_INVALID, "TCB Info is not TDX TCB Info v3");
        }
        if (!ext.fmspc().equalsIgnoreCase(tcbInfo.path("fmspc").asText())
                || !ext.pceId().equalsIgnoreCase(tcbInfo.path("pceId").asText())) {
            throw new EvidenceException(Refusal.COLLATERAL_INVALID, "TCB Info is for FMSPC "
                    + tcbInfo.path("fmspc").asText() + ", the platform is " + ext.fmspc());
        }
        if (!"TD_QE".equals(qeIdentity.path("id").asText())) {
            throw new EvidenceException(Refusal.COLLATERAL_INVALID, "QE identity is not for the TD quoting enclave");
        }

        // 6. the quoting enclave is Intel's, at an accepted TCB
        checkQeIdentity(qe, qeIdentity);
        String qeStatus = TdxTcbLevels.qeStatus(qeIdentity, qe.isvSvn());
        accept(policy, qeStatus, "quoting enclave");

        // 7. platform and TDX module TCB
        TdxQuote.TdReport td = q.body();
        String moduleStatus = TdxTcbLevels.moduleStatus(tcbInfo, td);
        String status = TdxTcbLevels.platformStatus(tcbInfo, ext, td.teeTcbSvn());
        accept(policy, status, "platform");
        if (moduleStatus != null) accept(policy, moduleStatus, "TDX module");

        // 8. the TD
        if (td.debug()) {
            throw new EvidenceException(Refusal.DEBUG_ENABLED, "TD attributes enable debugging (0x"
                    + HEX.formatHex(td.tdAttributes()) + ")");
        }
        if (!policy.mrTd().allows(td.mrTd())) {
            throw new EvidenceException(Refusal.MEASUREMENT_NOT_ALLOWED, "MRTD " + HEX.formatHex(td.mrTd())
                    + " is not allowed");
        }
        for (int i = 0; i < 4; i++) {
            if (!policy.rtmrs().get(i).allows(td.rtmrs()[i])) {
                throw new EvidenceException(Refusal.MEASUREMENT_NOT_ALLOWED, "RTMR" + i + " "
                        + HEX.formatHex(td.rtmrs()[i]) + " is not allowed");
            }
        }
        if (expected == null || !MessageDigest.isEqual(expected, td.reportData())) {
            throw new EvidenceException(Refusal.BINDING_MISMATCH, "REPORT_DATA does not carry the expected binding");
        }

        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("quote_version", Integer.toString(q.version()));
        claims.put("fmspc", ext.fmspc());
        claims.put("tcb_status", status);
        claims.put("qe_tcb_status", qeStatus);
        if (moduleStatus != null) claims.put("tdx_module_tcb_status", moduleStatus);
        claims.put("mrseam", HEX.formatHex(td.mrSeam()));
        for (int i = 0; i < 4; i++) claims.put("rtmr" + i, HEX.formatHex(td.rtmrs()[i]));
        Instant notAfter = expiries.stream().min(Instant::compareTo).orElseThrow();
        return new Verdict.Attested(Tee.TDX, HEX.formatHex(td.mrTd()), td.reportData(),
                HEX.formatHex(Ecdsa.sha256(raw)), notAfter, claims);
    }

    private JsonNode signedCollateral(byte[] body, byte[] issuerChain, String name, X509CRL rootCrl, Instant now,
                                      List<Instant> expiries, String what) throws EvidenceException {
        List<X509Certificate> chain = Certificates.parseAll(issuerChain, what + " issuer chain");
        X509Certificate root;
        try {
            root = Certificates.verifyChain(chain, roots, now, what + " issuer chain");
        } catch (EvidenceException e) {
            throw new EvidenceException(e.reason() == Refusal.CERTIFICATE_EXPIRED ? Refusal.COLLATERAL_EXPIRED
                    : Refusal.COLLATERAL_INVALID, e.getMessage());
        }
        Certificates.checkCrl(rootCrl, root, now, chain, "root CRL");
        JsonNode signed = SignedJson.verify(body, name, chain.getFirst().getPublicKey(), what);
        SignedJson.checkCurrent(signed, now, what);
        expiries.add(Certificates.notAfter(chain));
        expiries.add(SignedJson.instant(signed, "nextUpdate", what));
        return signed;
    }

    private static void checkQeIdentity(SgxReportBody qe, JsonNode id) throws EvidenceException {
        String what = "QE identity";
        byte[] mrSigner = SignedJson.hex(id, "mrsigner", what);
        long misc = Long.parseLong(SignedJson.text(id, "miscselect", what), 16);
        long miscMask = Long.parseLong(SignedJson.text(id, "miscselectMask", what), 16);
        byte[] attributes = SignedJson.hex(id, "attributes", what);
        byte[] attributesMask = SignedJson.hex(id, "attributesMask", what);
        if (!MessageDigest.isEqual(mrSigner, qe.mrSigner())
                || qe.isvProdId() != SignedJson.integer(id, "isvprodid", what)
                || (qe.miscSelect() & miscMask) != misc
                || !TdxTcbLevels.maskedEquals(qe.attributes(), attributesMask, attributes)) {
            throw new EvidenceException(Refusal.QUOTING_ENCLAVE_INVALID,
                    "quoting enclave does not match Intel's QE identity");
        }
    }

    private static void accept(TdxPolicy policy, String status, String what) throws EvidenceException {
        if (!policy.acceptedTcbStatuses().contains(status)) {
            throw new EvidenceException(Refusal.TCB_NOT_ACCEPTED, what + " TCB status " + status + " is not accepted");
        }
    }
}
