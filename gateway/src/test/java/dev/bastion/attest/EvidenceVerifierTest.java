package dev.bastion.attest;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The evidence document a backend serves, per type, checked against the nonce and TLS key it must be bound to. */
class EvidenceVerifierTest {
    static final Clock JUNE_2023 = Vectors.at("2023-06-20T00:00:00Z");
    static final byte[] NONCE = TdxTestAuthority.filled(32, 7);
    static final byte[] SPKI = TdxTestAuthority.filled(32, 9);

    @Test
    void aTdxQuoteWithItsCollateralBoundToTheNonceAndTlsKeyIsAttestedAndAnotherKeyIsRefused() {
        TdxTestAuthority intel = new TdxTestAuthority();
        byte[] quote = intel.quote(TdxTestAuthority.Td.of(TlsKeyBinding.reportData(NONCE, SPKI)));
        TdxCollateral c = intel.collateral("UpToDate", TdxVerifierTest.ISSUED, TdxVerifierTest.NEXT);
        var settings = new AttestationSettings("tdx", URI.create("https://backend/attestation"), Duration.ofHours(1),
                null, TdxPolicy.upToDateAnyMeasurement(), null, null, intel.roots());
        EvidenceVerifier v = new EvidenceVerifier(settings, JUNE_2023, null);
        byte[] bytes = AttestedTestBackend.tdxDocument(quote, c);
        assertThat(v.verify(bytes, NONCE, SPKI)).isInstanceOf(Verdict.Attested.class);
        byte[] otherKey = TdxTestAuthority.filled(32, 10);
        assertThat(((Verdict.Refused) v.verify(bytes, NONCE, otherKey)).reason()).isEqualTo(Refusal.BINDING_MISMATCH);
    }

    @Test
    void aGpuReportForTheNonceDerivedFromTheTlsKeyIsAttestedAgainstItsReferenceAndAnotherKeyIsRefused() {
        GpuTestAuthority nvidia = new GpuTestAuthority();
        String a = "aa".repeat(48);
        String b = "bb".repeat(48);
        java.util.Map<Integer, byte[]> blocks = java.util.Map.of(1, java.util.HexFormat.of().parseHex(a), 2,
                java.util.HexFormat.of().parseHex(b));
        byte[] doc = nvidia.document(nvidia.report(TlsKeyBinding.gpuNonce(NONCE, SPKI), blocks));
        // reference indices count from 0, SPDM blocks from 1 (as in NVIDIA's manifests)
        EvidenceVerifier v = gpu(nvidia, GpuReferenceManifest.of("ref", java.util.Map.of(0, java.util.Set.of(a),
                1, java.util.Set.of(b))));
        var attested = (Verdict.Attested) v.verify(doc, NONCE, SPKI);
        assertThat(attested.tee()).isEqualTo(Tee.NVIDIA_CC);
        assertThat(((Verdict.Refused) v.verify(doc, NONCE, TdxTestAuthority.filled(32, 10))).reason())
                .isEqualTo(Refusal.NONCE_MISMATCH);
        EvidenceVerifier other = gpu(nvidia, GpuReferenceManifest.of("ref", java.util.Map.of(1, java.util.Set.of(a))));
        assertThat(((Verdict.Refused) other.verify(doc, NONCE, SPKI)).reason()).isEqualTo(Refusal.MEASUREMENT_NOT_ALLOWED);
        byte[] report = nvidia.report(TlsKeyBinding.gpuNonce(NONCE, SPKI), blocks);
        report[60] ^= 1;            // a measurement byte
        assertThat(((Verdict.Refused) v.verify(nvidia.document(report), NONCE, SPKI)).reason())
                .isEqualTo(Refusal.BAD_SIGNATURE);
    }

    static EvidenceVerifier gpu(GpuTestAuthority nvidia, GpuReferenceManifest reference) {
        var settings = new AttestationSettings("nvidia-cc", URI.create("https://backend/attestation"),
                Duration.ofHours(1), null, null, NvidiaGpuPolicy.against(reference), null, List.of(nvidia.root));
        return new EvidenceVerifier(settings, JUNE_2023, null);
    }

    @Test
    void aDocumentOfAnotherTypeOrNotJsonIsRefused() {
        var settings = new AttestationSettings("sev-snp", URI.create("https://backend/attestation"),
                Duration.ofHours(1), SevSnpPolicy.permissive(), null, null, null, List.of());
        EvidenceVerifier v = new EvidenceVerifier(settings, JUNE_2023, null);
        assertThat(((Verdict.Refused) v.verify("{\"type\":\"tdx\",\"quote\":\"AA==\"}".getBytes(), NONCE, SPKI))
                .reason()).isEqualTo(Refusal.UNSUPPORTED);
        assertThat(((Verdict.Refused) v.verify("not json".getBytes(), NONCE, SPKI)).reason())
                .isEqualTo(Refusal.MALFORMED);
        assertThat(((Verdict.Refused) v.verify("{\"type\":\"sev-snp\"}".getBytes(), NONCE, SPKI)).reason())
                .isEqualTo(Refusal.MALFORMED);
    }
}
