package dev.bastion.attest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies NVIDIA Hopper GPU attestation: the device certificate chain to NVIDIA's device identity root, the
 * SPDM measurement signature (ECDSA P-384 over request and response), that the request carried the verifier's
 * nonce, and — where reference manifests are given — every active golden measurement.
 */
public final class NvidiaGpuVerifier {
    private static final HexFormat HEX = HexFormat.of();
    private final List<X509Certificate> roots;
    private final Clock clock;

    public static NvidiaGpuVerifier withNvidiaRoot(Clock clock) {
        return new NvidiaGpuVerifier(Certificates.resource("roots/nvidia-device-identity-root.pem"), clock);
    }

    public NvidiaGpuVerifier(List<X509Certificate> roots, Clock clock) {
        this.roots = List.copyOf(roots);
        this.clock = clock;
    }

    /** @param expectedNonce the 32 bytes the verifier put in the GET_MEASUREMENTS request */
    public Verdict verify(NvidiaGpuEvidence evidence, NvidiaGpuPolicy policy, byte[] expectedNonce) {
        try {
            return check(evidence, policy, expectedNonce);
        } catch (EvidenceException e) {
            return e.verdict();
        }
    }

    private Verdict check(NvidiaGpuEvidence evidence, NvidiaGpuPolicy policy, byte[] nonce) throws EvidenceException {
        Instant now = clock.instant();
        SpdmMeasurements m = SpdmMeasurements.parse(evidence.report());
        List<X509Certificate> chain = Certificates.parseAll(evidence.certChain(), "GPU certificate chain");
        Certificates.verifyChain(chain, roots, now, "GPU certificate chain");
        if (!Ecdsa.verifyRaw(chain.getFirst().getPublicKey(), "SHA384withECDSA", m.signature(), evidence.report(), 0,
                m.signedLength())) {
            throw new EvidenceException(Refusal.BAD_SIGNATURE, "SPDM measurements signature does not verify with the device key");
        }
        if (nonce == null || !MessageDigest.isEqual(nonce, m.requestNonce())) {
            throw new EvidenceException(Refusal.NONCE_MISMATCH, "the measurements answer another nonce");
        }
        Instant notAfter = Certificates.notAfter(chain);
        if (policy.compareMeasurements()) {
            Map<Integer, Set<String>> golden = new HashMap<>();
            for (GpuReferenceManifest ref : policy.references()) {
                if (now.isBefore(ref.validFrom()) || !now.isBefore(ref.validTo())) {
                    throw new EvidenceException(Refusal.COLLATERAL_EXPIRED, "reference manifest " + ref.name()
                            + " is not valid at " + now);
                }
                if (ref.validTo().isBefore(notAfter)) notAfter = ref.validTo();
                for (var e : ref.measurements().entrySet()) {
                    if (golden.put(e.getKey(), e.getValue()) != null) {
                        throw new EvidenceException(Refusal.COLLATERAL_INVALID, "two reference manifests set index "
                                + e.getKey());
                    }
                }
            }
            for (var e : new java.util.TreeMap<>(golden).entrySet()) {
                byte[] actual = m.blocks().get(e.getKey() + 1);
                if (actual == null || !e.getValue().contains(HEX.formatHex(actual))) {
                    throw new EvidenceException(Refusal.MEASUREMENT_NOT_ALLOWED, "GPU measurement " + e.getKey()
                            + (actual == null ? " is missing" : " " + HEX.formatHex(actual) + " is not a reference value"));
                }
            }
        }
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("spdm_version", "1." + (m.version() & 0x0f));
        claims.put("measurements", Integer.toString(m.blocks().size()));
        claims.put("driver_version", text(m.opaque().get(SpdmMeasurements.OPAQUE_DRIVER_VERSION)));
        claims.put("vbios_version", vbios(m.opaque().get(SpdmMeasurements.OPAQUE_VBIOS_VERSION)));
        claims.put("reference_checked", Boolean.toString(policy.compareMeasurements()));
        return new Verdict.Attested(Tee.NVIDIA_CC, HEX.formatHex(Ecdsa.sha256(m.measurementRecord())),
                java.util.Arrays.copyOf(m.requestNonce(), 64), HEX.formatHex(Ecdsa.sha256(evidence.report())),
                notAfter, claims);
    }

    private static String text(byte[] b) {
        if (b == null) return "";
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.US_ASCII).replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The VBIOS version as NVIDIA prints it (96.00.9F.00.01): the low 32 bits big-endian, then byte 4. */
    private static String vbios(byte[] b) {
        if (b == null || b.length < 5) return "";
        return "%02X.%02X.%02X.%02X.%02X".formatted(b[3] & 0xff, b[2] & 0xff, b[1] & 0xff, b[0] & 0xff, b[4] & 0xff);
    }
}
