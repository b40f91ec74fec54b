package dev.bastion.attest;

/**
 * What an NVIDIA Hopper GPU in confidential-computing mode hands over: the SPDM GET_MEASUREMENTS request and signed
 * response, back to back, and its certificate chain (PEM, leaf first, ending at NVIDIA's device identity root).
 */
public record NvidiaGpuEvidence(byte[] report, byte[] certChain) {
    public NvidiaGpuEvidence {
        report = report.clone();
        certChain = certChain.clone();
    }
}
