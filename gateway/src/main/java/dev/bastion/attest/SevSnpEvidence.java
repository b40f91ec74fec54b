package dev.bastion.attest;

/**
 * What an SEV-SNP guest hands over: its report, the VCEK or VLEK certificate that signed it (DER or PEM), and
 * optionally the intermediate and root (PEM, intermediate first; the bundled AMD chain is used when absent).
 */
public record SevSnpEvidence(byte[] report, byte[] endorsementKeyCert, byte[] chain) {
    public SevSnpEvidence {
        report = report.clone();
        endorsementKeyCert = endorsementKeyCert.clone();
        chain = chain == null ? null : chain.clone();
    }
}
