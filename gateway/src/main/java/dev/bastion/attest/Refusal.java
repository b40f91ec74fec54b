package dev.bastion.attest;

/**
 * Why evidence was refused. The {@link #code()} strings are stable (readiness reasons, audit records and metrics
 * use them); add reasons, never rename one.
 */
public enum Refusal {
    /** The evidence bytes do not parse: wrong length, unknown version, a field out of range. */
    MALFORMED("malformed"),
    /** A format this verifier does not handle (signature algorithm, key type, TEE type, quote version). */
    UNSUPPORTED("unsupported"),
    /** The certificate chain does not end at a configured trust anchor, or a link's signature fails. */
    UNTRUSTED_CHAIN("untrusted_chain"),
    /** A certificate in the chain is not valid at the verification time. */
    CERTIFICATE_EXPIRED("certificate_expired"),
    /** A certificate in the chain is on a revocation list. */
    CERTIFICATE_REVOKED("certificate_revoked"),
    /** The evidence signature does not verify with the attesting key. */
    BAD_SIGNATURE("bad_signature"),
    /** Collateral (TCB info, QE identity, CRLs, reference manifests) is outside its validity window. */
    COLLATERAL_EXPIRED("collateral_expired"),
    /** Collateral is unsigned, signed by the wrong key, or does not belong to this platform. */
    COLLATERAL_INVALID("collateral_invalid"),
    /** The TCB the certificate was issued for differs from the TCB the report claims. */
    TCB_MISMATCH("tcb_mismatch"),
    /** The platform's TCB is below the configured minimum or has a status the policy does not accept. */
    TCB_NOT_ACCEPTED("tcb_not_accepted"),
    /** Debugging of the confidential guest is enabled: its memory is readable by the host. */
    DEBUG_ENABLED("debug_enabled"),
    /** A guest policy bit or attribute the verifier's policy forbids (migration agent, SMT, VMPL, …). */
    POLICY_VIOLATION("policy_violation"),
    /** The quoting enclave's report does not bind the attestation key or is not an Intel quoting enclave. */
    QUOTING_ENCLAVE_INVALID("quoting_enclave_invalid"),
    /** A launch measurement (MRTD, RTMR, SNP MEASUREMENT, GPU measurement) is not on the allow-list. */
    MEASUREMENT_NOT_ALLOWED("measurement_not_allowed"),
    /** REPORT_DATA / user data does not carry the expected binding (nonce, TLS key hash). */
    BINDING_MISMATCH("binding_mismatch"),
    /** The evidence answers a different nonce than the one the verifier sent. */
    NONCE_MISMATCH("nonce_mismatch"),
    /** A verifier token (JWT) is invalid: signature, issuer, audience, expiry or claims. */
    TOKEN_INVALID("token_invalid"),
    /** The backend's evidence could not be fetched (connection, status, size). */
    EVIDENCE_UNAVAILABLE("evidence_unavailable");

    private final String code;

    Refusal(String code) { this.code = code; }

    public String code() { return code; }
}
