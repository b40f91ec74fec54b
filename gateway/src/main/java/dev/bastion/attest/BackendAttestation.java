package dev.bastion.attest;

import java.time.Instant;

/**
 * A backend's attestation as routing, policy and audit see it (a fact on the request once a backend is chosen):
 * policy's {@code resource.attested}, {@code resource.tee}, {@code resource.measurement}, and the evidence digest
 * every accept record carries.
 *
 * @param evidenceDigest {@code sha256:<hex>} of the evidence (or verifier token) that vouched for the backend
 */
public record BackendAttestation(String backend, Tee tee, String measurement, String evidenceDigest,
                                 Instant expiresAt) {
    static BackendAttestation of(String backend, Verdict.Attested a, Instant expiresAt) {
        return new BackendAttestation(backend, a.tee(), a.measurement(), "sha256:" + a.evidenceDigest(), expiresAt);
    }
}
