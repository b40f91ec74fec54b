package dev.bastion.attest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NvidiaGpuVerifierTest {
    static final Clock NOW = Vectors.at("2024-06-01T00:00:00Z");
    static final byte[] REPORT = Vectors.hexFile("nvidia-gpu/hopperAttestationReport.hex.txt");
    static final byte[] CHAIN = Vectors.bytes("nvidia-gpu/hopperCertChain.pem");
    static final byte[] NONCE = Arrays.copyOfRange(REPORT, 4, 36);
    static final byte[] RIM = Vectors.bytes("nvidia-gpu/sample_vbios_rim_1010_0200_882_96005E0001_PROD.swidtag");

    final NvidiaGpuVerifier nvidia = NvidiaGpuVerifier.withNvidiaRoot(NOW);

    static Refusal reason(Verdict v) { return ((Verdict.Refused) v).reason(); }

    Verdict verify(byte[] report, byte[] chain, NvidiaGpuPolicy policy, byte[] nonce) {
        return nvidia.verify(new NvidiaGpuEvidence(report, chain), policy, nonce);
    }

    /** The sample report's own measurements as an operator-given reference (indices 0-based). */
    static GpuReferenceManifest ownMeasurements() throws EvidenceException {
        Map<Integer, Set<String>> golden = new HashMap<>();
        SpdmMeasurements.parse(REPORT).blocks().forEach((i, v) -> golden.put(i - 1, Set.of(HexFormat.of().formatHex(v))));
        return GpuReferenceManifest.of("own", golden);
    }

    @Test
    void theRealHopperReportVerifiesThroughNvidiasDeviceIdentityChain() {
        Verdict v = verify(REPORT, CHAIN, NvidiaGpuPolicy.identityOnly(), NONCE);
        assertThat(v).isInstanceOf(Verdict.Attested.class);
        var a = (Verdict.Attested) v;
        assertThat(a.tee()).isEqualTo(Tee.NVIDIA_CC);
        assertThat(a.claims()).containsEntry("measurements", "64").containsEntry("driver_version", "550.90.07")
                .containsEntry("vbios_version", "96.00.9F.00.01").containsEntry("reference_checked", "false");
    }

    @Test
    void measurementsMatchingTheReferenceAreAttested() throws Exception {
        assertThat(verify(REPORT, CHAIN, NvidiaGpuPolicy.against(ownMeasurements()), NONCE))
                .isInstanceOf(Verdict.Attested.class);
    }

    @Test
    void theRealVbiosManifestForAnotherVbiosVersionRefusesTheMeasurementsItDoesNotList() {
        // NVIDIA's signed RIM is for VBIOS 96.00.5E.00.01; the report comes from 96.00.9F.00.01: same indices 0 and
        // 3-6 (firmware unchanged), different 1, 2, 9, 11.
        GpuReferenceManifest rim = GpuReferenceManifest.fromSwidTag(RIM, NOW.instant());
        assertThat(rim.name()).isEqualTo("GH100 96.00.5E.00.01");
        assertThat(rim.measurements()).containsOnlyKeys(0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12);
        Verdict v = verify(REPORT, CHAIN, NvidiaGpuPolicy.against(rim), NONCE);
        assertThat(v).isEqualTo(Verdict.refused(Refusal.MEASUREMENT_NOT_ALLOWED, "GPU measurement 1 "
                + "8048dfd18fe229bf16eb9d30cca0f11a24dafe6eb731de1462984645a0b189b77c4e4e17de727a5e19e3d07de51da338"
                + " is not a reference value"));
    }

    @Test
    void aReferenceManifestWithAnAlteredValueOrPastItsSignersValidityIsRefused() throws Exception {
        String xml = new String(RIM, StandardCharsets.UTF_8);
        byte[] altered = xml.replace("c3f65ef79a19c029", "c3f65ef79a19c02a").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> GpuReferenceManifest.fromSwidTag(altered, NOW.instant()))
                .hasMessageContaining("collateral_invalid: RIM signature does not verify");
        assertThatThrownBy(() -> GpuReferenceManifest.fromSwidTag(RIM, Instant.parse("2025-07-01T00:00:00Z")))
                .hasMessageContaining("collateral_expired");
        GpuReferenceManifest loadedEarlier = GpuReferenceManifest.fromSwidTag(RIM, NOW.instant());
        Verdict later = NvidiaGpuVerifier.withNvidiaRoot(Vectors.at("2025-07-01T00:00:00Z")).verify(
                new NvidiaGpuEvidence(REPORT, CHAIN), NvidiaGpuPolicy.against(loadedEarlier), NONCE);
        assertThat(reason(later)).isEqualTo(Refusal.COLLATERAL_EXPIRED);
    }

    @Test
    void aTamperedMeasurementOrOpaqueByteIsRefusedAsABadSignature() {
        for (int at : new int[] {37 + 8 + 8, 37 + 8 + 3520 - 1, REPORT.length - 96 - 10}) {
            assertThat(reason(verify(Vectors.flip(REPORT, at), CHAIN, NvidiaGpuPolicy.identityOnly(), NONCE)))
                    .as("flip at %d", at).isEqualTo(Refusal.BAD_SIGNATURE);
        }
    }

    @Test
    void evidenceForAnotherNonceIsRefused() {
        byte[] other = NONCE.clone();
        other[0] ^= 1;
        assertThat(reason(verify(REPORT, CHAIN, NvidiaGpuPolicy.identityOnly(), other)))
                .isEqualTo(Refusal.NONCE_MISMATCH);
        // rewriting the request's nonce to the verifier's breaks the signature instead
        byte[] rewritten = REPORT.clone();
        System.arraycopy(other, 0, rewritten, 4, 32);
        assertThat(reason(verify(rewritten, CHAIN, NvidiaGpuPolicy.identityOnly(), other)))
                .isEqualTo(Refusal.BAD_SIGNATURE);
    }

    @Test
    void aChainMissingALinkOrEndingAtAnotherRootIsRefused() throws Exception {
        List<String> pems = Arrays.stream(new String(CHAIN, StandardCharsets.US_ASCII).split("(?=-----BEGIN)"))
                .filter(s -> s.contains("BEGIN")).toList();
        byte[] gap = (pems.get(0) + pems.get(2) + pems.get(3) + pems.get(4)).getBytes(StandardCharsets.US_ASCII);
        assertThat(reason(verify(REPORT, gap, NvidiaGpuPolicy.identityOnly(), NONCE)))
                .isEqualTo(Refusal.UNTRUSTED_CHAIN);
        Verdict amdRoot = new NvidiaGpuVerifier(List.of(new SnpTestAuthority().ark()), NOW).verify(
                new NvidiaGpuEvidence(REPORT, CHAIN), NvidiaGpuPolicy.identityOnly(), NONCE);
        assertThat(reason(amdRoot)).isEqualTo(Refusal.UNTRUSTED_CHAIN);
    }

    @Test
    void truncatedReportsAreMalformed() {
        for (int len = 0; len < REPORT.length; len += 131) {
            assertThat(reason(verify(Arrays.copyOf(REPORT, len), CHAIN, NvidiaGpuPolicy.identityOnly(), NONCE)))
                    .as("length %d", len).isIn(Refusal.MALFORMED, Refusal.UNSUPPORTED);
        }
    }
}
