package dev.bastion.attest;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SevSnpVerifierTest {
    static final Clock MID_2023 = Vectors.at("2023-06-20T00:00:00Z");
    static final byte[] VIRTEE_REPORT = Vectors.hexFile("sev-snp/virtee/report_milan.hex");
    static final byte[] VIRTEE_VCEK = Vectors.bytes("sev-snp/virtee/vcek_milan.der");
    static final byte[] VIRTEE_CHAIN = Vectors.bytes("sev-snp/virtee/cert_chain_milan");
    static final byte[] GOOGLE_REPORT = Vectors.bytes("sev-snp/go-sev-guest/attestation_report_milan_v2.bin");
    static final byte[] GOOGLE_VCEK = Vectors.bytes("sev-snp/go-sev-guest/vcek_milan.der");

    final SevSnpVerifier amd = SevSnpVerifier.withAmdRoots(MID_2023);

    static byte[] reportData(byte[] report) { return Arrays.copyOfRange(report, 0x50, 0x90); }

    static String measurement(byte[] report) { return HexFormat.of().formatHex(report, 0x90, 0xC0); }

    Verdict virtee(SevSnpPolicy policy) {
        return amd.verify(new SevSnpEvidence(VIRTEE_REPORT, VIRTEE_VCEK, VIRTEE_CHAIN), policy,
                reportData(VIRTEE_REPORT));
    }

    @Test
    void aRealMilanReportWithDebugOffVerifiesThroughAmdsChain() {
        Verdict v = virtee(SevSnpPolicy.permissive());
        assertThat(v).isInstanceOf(Verdict.Attested.class);
        var a = (Verdict.Attested) v;
        assertThat(a.tee()).isEqualTo(Tee.SEV_SNP);
        assertThat(a.measurement()).isEqualTo(measurement(VIRTEE_REPORT));
        assertThat(a.claims()).containsEntry("product", "Milan").containsEntry("tcb", "bl=3,tee=0,snp=8,ucode=115")
                .containsEntry("policy", "0x30000");
        assertThat(a.evidenceDigest()).hasSize(64);
    }

    @Test
    void theBundledAmdIntermediateIsUsedWhenTheEvidenceCarriesNoChain() {
        Verdict v = amd.verify(new SevSnpEvidence(VIRTEE_REPORT, VIRTEE_VCEK, null), SevSnpPolicy.permissive(),
                reportData(VIRTEE_REPORT));
        assertThat(v).isInstanceOf(Verdict.Attested.class);
    }

    @Test
    void aReportWithDebugEnabledIsRefusedAlthoughItsSignatureAndChainAreValid() {
        Verdict v = amd.verify(new SevSnpEvidence(GOOGLE_REPORT, GOOGLE_VCEK, null), SevSnpPolicy.permissive(),
                reportData(GOOGLE_REPORT));
        assertThat(v).isEqualTo(Verdict.refused(Refusal.DEBUG_ENABLED, "guest policy allows debugging (policy 0xb0000)"));
    }

    @Test
    void anyTamperedSignedByteIsRefusedAsABadSignature() {
        for (int at : new int[] {0x08 + 2, 0x50, 0x90 + 5, 0x180, 0x29F}) {
            byte[] tampered = Vectors.flip(VIRTEE_REPORT, at);
            Verdict v = amd.verify(new SevSnpEvidence(tampered, VIRTEE_VCEK, VIRTEE_CHAIN),
                    SevSnpPolicy.permissive(), reportData(tampered));
            assertThat(v).as("flip at 0x%x", at).extracting(r -> ((Verdict.Refused) r).reason())
                    .isEqualTo(Refusal.BAD_SIGNATURE);
        }
    }

    @Test
    void aReportSignedByAnotherChipsVcekIsRefused() {
        Verdict v = amd.verify(new SevSnpEvidence(VIRTEE_REPORT, GOOGLE_VCEK, null), SevSnpPolicy.permissive(),
                reportData(VIRTEE_REPORT));
        assertThat(((Verdict.Refused) v).reason()).isEqualTo(Refusal.BAD_SIGNATURE);
    }

    @Test
    void aChainOfAnotherProductOrAnUntrustedRootIsRefused() {
        Verdict genoa = amd.verify(new SevSnpEvidence(VIRTEE_REPORT, VIRTEE_VCEK,
                Vectors.bytes("sev-snp/go-sev-guest/ask_ark_genoa.pem")), SevSnpPolicy.permissive(),
                reportData(VIRTEE_REPORT));
        assertThat(((Verdict.Refused) genoa).reason()).isEqualTo(Refusal.UNTRUSTED_CHAIN);
        SnpTestAuthority other = new SnpTestAuthority();
        Verdict untrusted = new SevSnpVerifier(List.of(other.ark()), MID_2023).verify(
                new SevSnpEvidence(VIRTEE_REPORT, VIRTEE_VCEK, VIRTEE_CHAIN), SevSnpPolicy.permissive(),
                reportData(VIRTEE_REPORT));
        assertThat(((Verdict.Refused) untrusted).reason()).isEqualTo(Refusal.UNTRUSTED_CHAIN);
    }

    @Test
    void aVcekOutsideItsValidityIsRefusedAsExpired() {
        Verdict v = SevSnpVerifier.withAmdRoots(Vectors.at("2031-01-01T00:00:00Z")).verify(
                new SevSnpEvidence(VIRTEE_REPORT, VIRTEE_VCEK, VIRTEE_CHAIN), SevSnpPolicy.permissive(),
                reportData(VIRTEE_REPORT));
        assertThat(((Verdict.Refused) v).reason()).isEqualTo(Refusal.CERTIFICATE_EXPIRED);
    }

    @Test
    void anUnknownMeasurementIsRefusedAndAnAllowedOneAccepted() {
        var policy = new SevSnpPolicy(null, AllowList.of("00".repeat(48)), false, true, 3, false);
        assertThat(((Verdict.Refused) virtee(policy)).reason()).isEqualTo(Refusal.MEASUREMENT_NOT_ALLOWED);
        var allowed = new SevSnpPolicy(null, AllowList.of(measurement(VIRTEE_REPORT).toUpperCase()), false, true, 3,
                false);
        assertThat(virtee(allowed)).isInstanceOf(Verdict.Attested.class);
    }

    @Test
    void aTcbBelowTheMinimumIsRefusedAndOneAtItAccepted() {
        var tooHigh = new SevSnpPolicy(new SnpTcb(3, 0, 9, 115, 0), AllowList.ANY, false, true, 3, false);
        assertThat(((Verdict.Refused) virtee(tooHigh)).reason()).isEqualTo(Refusal.TCB_NOT_ACCEPTED);
        var exact = new SevSnpPolicy(new SnpTcb(3, 0, 8, 115, 0), AllowList.ANY, false, true, 3, false);
        assertThat(virtee(exact)).isInstanceOf(Verdict.Attested.class);
    }

    @Test
    void smtAndVmplAreEnforcedWhenThePolicySaysSo() {
        var noSmt = new SevSnpPolicy(null, AllowList.ANY, false, false, 3, false);
        assertThat(((Verdict.Refused) virtee(noSmt)).reason()).isEqualTo(Refusal.POLICY_VIOLATION);
        SnpTestAuthority ca = new SnpTestAuthority();
        byte[] data = new byte[64];
        byte[] fromVmpl2 = ca.report(data, new byte[48], 0x30000, SnpTestAuthority.TCB, 2);
        var vmpl0 = new SevSnpPolicy(null, AllowList.ANY, false, true, 0, false);
        Verdict v = new SevSnpVerifier(List.of(ca.ark()), MID_2023).verify(ca.evidence(fromVmpl2), vmpl0, data);
        assertThat(v).isEqualTo(Verdict.refused(Refusal.POLICY_VIOLATION, "report from VMPL 2"));
    }

    @Test
    void reportDataThatDoesNotCarryTheExpectedBindingIsRefused() {
        byte[] other = reportData(VIRTEE_REPORT);
        other[63] ^= 1;
        Verdict v = amd.verify(new SevSnpEvidence(VIRTEE_REPORT, VIRTEE_VCEK, VIRTEE_CHAIN),
                SevSnpPolicy.permissive(), other);
        assertThat(((Verdict.Refused) v).reason()).isEqualTo(Refusal.BINDING_MISMATCH);
    }

    @Test
    void aReportClaimingAnotherTcbThanItsVcekWasIssuedForIsRefused() {
        SnpTestAuthority ca = new SnpTestAuthority();
        SevSnpVerifier v = new SevSnpVerifier(List.of(ca.ark()), MID_2023);
        byte[] data = new byte[64];
        byte[] ok = ca.report(data, new byte[48], 0x30000, SnpTestAuthority.TCB);
        assertThat(v.verify(ca.evidence(ok), SevSnpPolicy.permissive(), data)).isInstanceOf(Verdict.Attested.class);
        byte[] lying = ca.report(data, new byte[48], 0x30000, new SnpTcb(3, 0, 9, 115, 0));
        assertThat(((Verdict.Refused) v.verify(ca.evidence(lying), SevSnpPolicy.permissive(), data)).reason())
                .isEqualTo(Refusal.TCB_MISMATCH);
    }

    @Test
    void aMigrationAgentIsRefusedUnlessAllowed() {
        SnpTestAuthority ca = new SnpTestAuthority();
        SevSnpVerifier v = new SevSnpVerifier(List.of(ca.ark()), MID_2023);
        byte[] data = new byte[64];
        byte[] ma = ca.report(data, new byte[48], 0x30000 | 1 << 18, SnpTestAuthority.TCB);
        assertThat(((Verdict.Refused) v.verify(ca.evidence(ma), SevSnpPolicy.permissive(), data)).reason())
                .isEqualTo(Refusal.POLICY_VIOLATION);
        var allowMa = new SevSnpPolicy(null, AllowList.ANY, true, true, 3, false);
        assertThat(v.verify(ca.evidence(ma), allowMa, data)).isInstanceOf(Verdict.Attested.class);
    }

    @Test
    void truncatedOrOversizedReportsAreRefusedAsMalformed() {
        for (int len : new int[] {0, 100, SevSnpReport.SIZE - 1, SevSnpReport.SIZE + 1}) {
            Verdict v = amd.verify(new SevSnpEvidence(Arrays.copyOf(VIRTEE_REPORT, len), VIRTEE_VCEK, VIRTEE_CHAIN),
                    SevSnpPolicy.permissive(), new byte[64]);
            assertThat(((Verdict.Refused) v).reason()).isEqualTo(Refusal.MALFORMED);
        }
        Verdict garbageCert = amd.verify(new SevSnpEvidence(VIRTEE_REPORT, new byte[] {1, 2, 3}, null),
                SevSnpPolicy.permissive(), new byte[64]);
        assertThat(((Verdict.Refused) garbageCert).reason()).isEqualTo(Refusal.MALFORMED);
    }
}
