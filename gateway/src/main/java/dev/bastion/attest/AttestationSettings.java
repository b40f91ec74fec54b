package dev.bastion.attest;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A backend's {@code attestation:} declaration: which evidence it serves, where, and what that evidence must show.
 * Only the policy of the declared type is used; the roots default to the vendors' bundled ones (tests substitute
 * their own).
 *
 * @param type        {@code sev-snp}, {@code tdx}, {@code nvidia-cc} or {@code token}
 * @param evidenceUrl where the backend serves its evidence document ({@link EvidenceDocument})
 * @param maxAge      re-attest a session after this long even when the evidence is still valid
 * @param token       for {@code token}: the verifier whose results are accepted, else null
 * @param roots       trust anchors for the declared type, or an empty list for the bundled vendor roots
 */
public record AttestationSettings(String type, URI evidenceUrl, Duration maxAge, SevSnpPolicy snp, TdxPolicy tdx,
                                  NvidiaGpuPolicy gpu, TokenSettings token, List<X509Certificate> roots) {
    public static final Set<String> TYPES = Set.of("sev-snp", "tdx", "nvidia-cc", "token");

    public AttestationSettings {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("attestation type must be one of " + TYPES + " (got '" + type + "')");
        }
        if (evidenceUrl == null || !"https".equals(evidenceUrl.getScheme()) && !loopback(evidenceUrl)) {
            throw new IllegalArgumentException("evidence-url must be https (or http on loopback)");
        }
        if (maxAge == null || !maxAge.isPositive()) throw new IllegalArgumentException("max-age must be positive");
        if (type.equals("sev-snp") && snp == null || type.equals("tdx") && tdx == null
                || type.equals("nvidia-cc") && gpu == null || type.equals("token") && token == null) {
            throw new IllegalArgumentException("attestation type " + type + " needs its policy");
        }
        roots = List.copyOf(roots);
    }

    /**
     * Which verifier issues accepted results, and what its results must say.
     *
     * @param algorithms JWS algorithms accepted (RS256 for Azure Attestation, PS384 for Intel Trust Authority)
     */
    public record TokenSettings(VerifierTokenProfile profile, String issuer, URI jwksUrl, Set<String> algorithms,
                                String audience, AllowList measurements, Set<String> acceptedTcbStatuses) {
        public TokenSettings {
            algorithms = Set.copyOf(algorithms);
            acceptedTcbStatuses = Set.copyOf(acceptedTcbStatuses);
        }
    }

    SevSnpVerifier snpVerifier(Clock clock) {
        return roots.isEmpty() ? SevSnpVerifier.withAmdRoots(clock) : new SevSnpVerifier(roots, clock);
    }

    TdxVerifier tdxVerifier(Clock clock) {
        return roots.isEmpty() ? TdxVerifier.withIntelRoot(clock) : new TdxVerifier(roots, clock);
    }

    NvidiaGpuVerifier gpuVerifier(Clock clock) {
        return roots.isEmpty() ? NvidiaGpuVerifier.withNvidiaRoot(clock) : new NvidiaGpuVerifier(roots, clock);
    }

    private static boolean loopback(URI u) {
        String h = u.getHost();
        return "http".equals(u.getScheme()) && ("127.0.0.1".equals(h) || "localhost".equals(h) || "[::1]".equals(h));
    }
}
