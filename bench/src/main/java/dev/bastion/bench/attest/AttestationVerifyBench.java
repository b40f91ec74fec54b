package dev.bastion.bench.attest;

import dev.bastion.attest.GpuReferenceManifest;
import dev.bastion.attest.NvidiaGpuEvidence;
import dev.bastion.attest.NvidiaGpuPolicy;
import dev.bastion.attest.NvidiaGpuVerifier;
import dev.bastion.attest.SevSnpEvidence;
import dev.bastion.attest.SevSnpPolicy;
import dev.bastion.attest.SevSnpVerifier;
import dev.bastion.attest.TdxCollateral;
import dev.bastion.attest.TdxPolicy;
import dev.bastion.attest.TdxVerifier;
import dev.bastion.attest.Verdict;
import dev.bastion.attest.VerifiedSignatures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Full verification of each evidence type from the shared real vectors (goal ≤ 20 ms each): SEV-SNP (virtee Milan
 * report, VCEK → ASK → ARK, RSASSA-PSS links, P-384 report signature), TDX (Intel's v4 quote with its 2023
 * collateral: PCK chain, both CRLs, QE report, quote signature, signed TCB Info and QE identity — it stops only at
 * the final TCB-level comparison, which the sample platform does not reach), NVIDIA (Hopper SPDM report, five-link
 * chain, P-384 signature, 64 measurements against a reference). Run from the repository root:
 * {@code java -jar bench/target/bastion-bench.jar AttestationVerifyBench -f 1 -wi 3 -i 5}. With {@code collateral=cold}
 * the remembered collateral signatures are forgotten before each call (first contact with a platform).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class AttestationVerifyBench {
    /** warm: collateral signatures already verified once (the steady state); cold: every signature checked. */
    @Param({"warm", "cold"})
    String collateral;
    SevSnpVerifier snp;
    SevSnpEvidence snpEvidence;
    byte[] snpReportData;
    TdxVerifier tdx;
    byte[] quote;
    TdxCollateral tdxCollateral;
    byte[] quoteReportData;
    NvidiaGpuVerifier gpu;
    NvidiaGpuEvidence gpuEvidence;
    NvidiaGpuPolicy gpuPolicy;
    byte[] gpuNonce;

    @Setup
    public void setup() throws IOException {
        byte[] report = HexFormat.of().parseHex(Files.readString(data("sev-snp/virtee/report_milan.hex")).strip());
        snpEvidence = new SevSnpEvidence(report, read("sev-snp/virtee/vcek_milan.der"),
                read("sev-snp/virtee/cert_chain_milan"));
        snpReportData = Arrays.copyOfRange(report, 0x50, 0x90);
        snp = SevSnpVerifier.withAmdRoots(at("2024-06-01T00:00:00Z"));

        quote = read("tdx/go-tdx-guest/tdx_prod_quote_SPR_E4.dat");
        quoteReportData = Arrays.copyOfRange(quote, 48 + 520, 48 + 584);
        byte[] chain = read("tdx/go-tdx-guest/tcb_info_issuer_chain.pem");
        tdxCollateral = new TdxCollateral(read("tdx/go-tdx-guest/sample_tcbInfo_response"), chain,
                read("tdx/go-tdx-guest/sample_qeIdentity_response"), chain, read("tdx/go-tdx-guest/pckcrl"),
                read("tdx/go-tdx-guest/rootcrl.der"));
        tdx = TdxVerifier.withIntelRoot(at("2023-06-20T00:00:00Z"));

        byte[] spdm = HexFormat.of().parseHex(Files.readString(data("nvidia-gpu/hopperAttestationReport.hex.txt"))
                .replaceAll("\\s", ""));
        gpuEvidence = new NvidiaGpuEvidence(spdm, read("nvidia-gpu/hopperCertChain.pem"));
        gpuNonce = Arrays.copyOfRange(spdm, 4, 36);
        gpu = NvidiaGpuVerifier.withNvidiaRoot(at("2024-06-01T00:00:00Z"));
        // index 0 of the record's first block: a one-entry reference so the comparison path runs
        gpuPolicy = NvidiaGpuPolicy.against(GpuReferenceManifest.of("bench", Map.of(0, Set.of("00".repeat(48)))));
        check(snp(), true);
        check(tdx(), false);
        check(gpu(), true);
    }

    @Benchmark
    public Verdict snp() {
        forget();
        return snp.verify(snpEvidence, SevSnpPolicy.permissive(), snpReportData);
    }

    @Benchmark
    public Verdict tdx() {
        forget();
        return tdx.verify(quote, tdxCollateral, TdxPolicy.upToDateAnyMeasurement(), quoteReportData);
    }

    @Benchmark
    public Verdict gpu() {
        forget();
        return gpu.verify(gpuEvidence, gpuPolicy, gpuNonce);
    }

    private void forget() {
        if (collateral.equals("cold")) VerifiedSignatures.clear();
    }

    private static void check(Verdict v, boolean attested) {
        if ((v instanceof Verdict.Attested) != attested) throw new IllegalStateException("unexpected verdict " + v);
    }

    private static Clock at(String t) { return Clock.fixed(Instant.parse(t), ZoneOffset.UTC); }

    private static byte[] read(String p) throws IOException { return Files.readAllBytes(data(p)); }

    private static Path data(String p) {
        String root = System.getenv().getOrDefault("BASTION_TESTDATA", "testdata");
        return Path.of(root, "attestation").resolve(p);
    }

}
