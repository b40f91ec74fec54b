package dev.bastion.attest;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TdxVerifierTest {
    static final String D = "tdx/go-tdx-guest/";
    static final Clock JUNE_2023 = Vectors.at("2023-06-20T00:00:00Z");
    static final byte[] QUOTE_V4 = Vectors.bytes(D + "tdx_prod_quote_SPR_E4.dat");
    static final byte[] QUOTE_V5 = Vectors.bytes(D + "quote_v5_sample.dat");
    static final TdxPolicy UP_TO_DATE = TdxPolicy.upToDateAnyMeasurement();

    static TdxCollateral intelCollateral() { return intelCollateral(Vectors.bytes(D + "sample_tcbInfo_response")); }

    static TdxCollateral intelCollateral(byte[] tcbInfo) {
        byte[] chain = Vectors.bytes(D + "tcb_info_issuer_chain.pem");
        return new TdxCollateral(tcbInfo, chain, Vectors.bytes(D + "sample_qeIdentity_response"), chain,
                Vectors.bytes(D + "pckcrl"), Vectors.bytes(D + "rootcrl.der"));
    }

    static byte[] reportData(byte[] quote) {
        try {
            return TdxQuote.parse(quote).body().reportData();
        } catch (EvidenceException e) {
            throw new AssertionError(e);
        }
    }

    static Refusal reason(Verdict v) { return ((Verdict.Refused) v).reason(); }

    Verdict intel(Clock at, byte[] quote, TdxCollateral c) {
        return TdxVerifier.withIntelRoot(at).verify(quote, c, UP_TO_DATE, reportData(quote));
    }

    // --- Intel's real quote and collateral ---

    @Test
    void theRealV4QuotePassesEverySignatureAndIsRefusedOnlyForItsTcbLevel() {
        // The sample quote's TEE_TCB_SVN (3,0,4) and PCK SVNs are below both levels of the sample TCB Info (which
        // go-tdx-guest also notes): every signature, chain, CRL and collateral check before that step passed.
        assertThat(intel(JUNE_2023, QUOTE_V4, intelCollateral())).isEqualTo(Verdict.refused(Refusal.TCB_NOT_ACCEPTED,
                "no TCB level of the TCB Info matches the platform"));
    }

    @Test
    void tamperedQuoteBytesAreRefusedAsBadSignatures() {
        int body = TdxQuote.HEADER;
        assertThat(reason(intel(JUNE_2023, Vectors.flip(QUOTE_V4, body + 136 + 5), intelCollateral())))
                .as("MRTD byte").isEqualTo(Refusal.BAD_SIGNATURE);
        assertThat(reason(intel(JUNE_2023, Vectors.flip(QUOTE_V4, 20), intelCollateral())))
                .as("header byte").isEqualTo(Refusal.BAD_SIGNATURE);
        int qeReport = body + 584 + 4 + 64 + 64 + 6;
        assertThat(reason(intel(JUNE_2023, Vectors.flip(QUOTE_V4, qeReport + 130), intelCollateral())))
                .as("QE report byte").isEqualTo(Refusal.BAD_SIGNATURE);
        assertThat(reason(intel(JUNE_2023, Vectors.flip(QUOTE_V4, body + 584 + 4 + 64 + 3), intelCollateral())))
                .as("attestation key byte").isIn(Refusal.QUOTING_ENCLAVE_INVALID, Refusal.MALFORMED);
        int qeAuth = qeReport + 384 + 64 + 2;
        assertThat(reason(intel(JUNE_2023, Vectors.flip(QUOTE_V4, qeAuth), intelCollateral())))
                .as("QE auth data byte").isEqualTo(Refusal.QUOTING_ENCLAVE_INVALID);
    }

    @Test
    void expiredCollateralIsRefused() {
        Verdict afterPckCrl = intel(Vectors.at("2023-07-10T00:00:00Z"), QUOTE_V4, intelCollateral());
        assertThat(afterPckCrl).isEqualTo(Verdict.refused(Refusal.COLLATERAL_EXPIRED,
                "PCK CRL is not current at 2023-07-10T00:00:00Z"));
        Verdict beforeTcbInfo = intel(Vectors.at("2023-06-10T00:00:00Z"), QUOTE_V4, intelCollateral());
        assertThat(reason(beforeTcbInfo)).isEqualTo(Refusal.COLLATERAL_EXPIRED);
        assertThat(((Verdict.Refused) beforeTcbInfo).detail()).startsWith("TCB Info is valid 2023-06-18");
    }

    @Test
    void collateralWithAnAlteredByteOrAnotherPlatformsFmspcIsRefused() {
        byte[] tcbInfo = Vectors.bytes(D + "sample_tcbInfo_response").clone();
        int at = new String(tcbInfo).indexOf("\"tcbEvaluationDataNumber\":15") + 27;
        tcbInfo[at] = '6';
        assertThat(intel(JUNE_2023, QUOTE_V4, intelCollateral(tcbInfo)))
                .isEqualTo(Verdict.refused(Refusal.COLLATERAL_INVALID, "TCB Info signature does not verify"));
        // a real TCB Info for FMSPC 90c06f000000, issued in 2026 by a signing key the 2023 chain does not hold
        assertThat(reason(intel(JUNE_2023, QUOTE_V4, intelCollateral(Vectors.bytes(D + "sample_tcbinfo_response_v5")))))
                .isIn(Refusal.COLLATERAL_INVALID, Refusal.COLLATERAL_EXPIRED);
    }

    @Test
    void aQuoteWhosePckChainEndsAtAnotherRootIsRefused() {
        TdxTestAuthority other = new TdxTestAuthority();
        Verdict v = new TdxVerifier(other.roots(), JUNE_2023).verify(QUOTE_V4, intelCollateral(), UP_TO_DATE,
                reportData(QUOTE_V4));
        assertThat(reason(v)).isEqualTo(Refusal.UNTRUSTED_CHAIN);
    }

    @Test
    void theRealV5QuoteParsesAndItsSignaturesVerifyAgainstIntelsRoot() {
        // The v5 sample's PCK certificate dates from 2026 and no 2026 CRLs ship with it: it gets as far as revocation.
        Clock feb2026 = Vectors.at("2026-02-10T00:00:00Z");
        assertThat(intel(feb2026, QUOTE_V5, intelCollateral())).isEqualTo(Verdict.refused(
                Refusal.COLLATERAL_EXPIRED, "root CRL is not current at 2026-02-10T00:00:00Z"));
        assertThat(reason(intel(feb2026, Vectors.flip(QUOTE_V5, TdxQuote.HEADER + 6 + 200), intelCollateral())))
                .isEqualTo(Refusal.BAD_SIGNATURE);
        assertThat(reason(intel(JUNE_2023, QUOTE_V5, intelCollateral()))).isEqualTo(Refusal.CERTIFICATE_EXPIRED);
    }

    @Test
    void truncatedQuotesAreMalformedNeverAnException() {
        int declaredEnd = 4935; // the sample carries 39 bytes of padding after its signature data
        for (int len = 0; len < declaredEnd; len += 97) {
            Verdict v = TdxVerifier.withIntelRoot(JUNE_2023).verify(java.util.Arrays.copyOf(QUOTE_V4, len),
                    intelCollateral(), UP_TO_DATE, reportData(QUOTE_V4));
            assertThat(reason(v)).as("length %d", len).isIn(Refusal.MALFORMED, Refusal.UNSUPPORTED);
        }
    }

    // --- a stand-in Intel: every decision on the accept path ---

    static final Instant ISSUED = Instant.parse("2023-06-01T00:00:00Z");
    static final Instant NEXT = Instant.parse("2023-07-01T00:00:00Z");

    @Test
    void anUpToDateTdWithAllowedMeasurementsAndTheExpectedBindingIsAttested() {
        TdxTestAuthority intel = new TdxTestAuthority();
        byte[] data = TdxTestAuthority.filled(64, 0x42);
        var td = TdxTestAuthority.Td.of(data);
        var policy = new TdxPolicy(Set.of("UpToDate"), AllowList.of("11".repeat(48)),
                List.of(AllowList.of("00".repeat(48)), AllowList.ANY, AllowList.ANY, AllowList.ANY));
        Verdict v = new TdxVerifier(intel.roots(), JUNE_2023).verify(intel.quote(td),
                intel.collateral("UpToDate", ISSUED, NEXT), policy, data);
        assertThat(v).isInstanceOf(Verdict.Attested.class);
        var a = (Verdict.Attested) v;
        assertThat(a.measurement()).isEqualTo("11".repeat(48));
        assertThat(a.claims()).containsEntry("tcb_status", "UpToDate").containsEntry("fmspc", TdxTestAuthority.FMSPC);
        assertThat(a.notAfter()).isEqualTo(NEXT);
    }

    @Test
    void eachTdOrPlatformDecisionRefusesForItsOwnReason() {
        TdxTestAuthority intel = new TdxTestAuthority();
        byte[] data = new byte[64];
        var td = TdxTestAuthority.Td.of(data);
        TdxVerifier v = new TdxVerifier(intel.roots(), JUNE_2023);
        TdxCollateral ok = intel.collateral("UpToDate", ISSUED, NEXT);

        assertThat(reason(v.verify(intel.quote(td.withAttributes(1)), ok, UP_TO_DATE, data)))
                .isEqualTo(Refusal.DEBUG_ENABLED);
        assertThat(reason(v.verify(intel.quote(td), intel.collateral("OutOfDate", ISSUED, NEXT), UP_TO_DATE, data)))
                .isEqualTo(Refusal.TCB_NOT_ACCEPTED);
        assertThat(reason(v.verify(intel.quote(td.withTeeTcbSvn(TdxTestAuthority.tcb(3, 0, 4))), ok, UP_TO_DATE,
                data))).isEqualTo(Refusal.TCB_NOT_ACCEPTED);
        var otherMrTd = new TdxPolicy(Set.of("UpToDate"), AllowList.of("22".repeat(48)), UP_TO_DATE.rtmrs());
        assertThat(reason(v.verify(intel.quote(td), ok, otherMrTd, data))).isEqualTo(Refusal.MEASUREMENT_NOT_ALLOWED);
        var otherRtmr2 = new TdxPolicy(Set.of("UpToDate"), AllowList.ANY,
                List.of(AllowList.ANY, AllowList.ANY, AllowList.of("ff".repeat(48)), AllowList.ANY));
        assertThat(v.verify(intel.quote(td), ok, otherRtmr2, data)).isEqualTo(Verdict.refused(
                Refusal.MEASUREMENT_NOT_ALLOWED, "RTMR2 " + "02".repeat(48) + " is not allowed"));
        assertThat(reason(v.verify(intel.quote(td), ok, UP_TO_DATE, TdxTestAuthority.filled(64, 1))))
                .isEqualTo(Refusal.BINDING_MISMATCH);
        intel.revokePck();
        assertThat(reason(v.verify(intel.quote(td), intel.collateral("UpToDate", ISSUED, NEXT), UP_TO_DATE, data)))
                .isEqualTo(Refusal.CERTIFICATE_REVOKED);
    }
}
