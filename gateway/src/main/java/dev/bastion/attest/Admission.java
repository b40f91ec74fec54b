package dev.bastion.attest;

/** Whether a TLS session to an attested backend may carry requests. */
public sealed interface Admission {
    record Admitted(BackendAttestation attestation) implements Admission {}

    record Refused(String backend, Verdict.Refused verdict) implements Admission {
        /** For readiness output and logs: reason code and detail, no evidence bytes. */
        public String reason() {
            return "attestation of " + backend + " refused: " + verdict.reason().code() + ": " + verdict.detail();
        }
    }
}
