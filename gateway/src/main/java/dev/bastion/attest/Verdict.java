package dev.bastion.attest;

import java.time.Instant;
import java.util.Map;

/** The outcome of verifying attestation evidence: attested with its facts, or refused with a named reason. */
public sealed interface Verdict {

    /**
     * Evidence that verified.
     *
     * @param tee            the technology that produced it
     * @param measurement    the launch measurement in lower-case hex (SNP MEASUREMENT, TDX MRTD, GPU: digest of
     *                       all measurement blocks)
     * @param reportData     the 64 bytes of REPORT_DATA / user data the guest bound into the evidence (GPU: the
     *                       nonce)
     * @param evidenceDigest SHA-256 of the evidence bytes, lower-case hex: what audit records cite
     * @param notAfter       the earliest expiry among the certificates and collateral that vouched for it
     * @param claims         further facts (TCB, status, product, versions) for policy and logs; no secrets
     */
    record Attested(Tee tee, String measurement, byte[] reportData, String evidenceDigest, Instant notAfter,
                    Map<String, String> claims) implements Verdict {
        public Attested {
            reportData = reportData.clone();
            claims = Map.copyOf(claims);
        }

        @Override
        public byte[] reportData() { return reportData.clone(); }
    }

    /** Evidence that did not verify; {@code detail} names the field or certificate, never key material. */
    record Refused(Refusal reason, String detail) implements Verdict {}

    static Refused refused(Refusal reason, String detail) { return new Refused(reason, detail); }
}
