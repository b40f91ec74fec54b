package dev.bastion.attest;

/**
 * Internal: a verification step failed. Verifiers throw it from deep inside parsing and checking and turn it into
 * a {@link Verdict.Refused} at their public edge, so callers only ever see the sealed result.
 */
final class EvidenceException extends Exception {
    private final Refusal reason;

    EvidenceException(Refusal reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    Refusal reason() { return reason; }

    Verdict.Refused verdict() { return Verdict.refused(reason, getMessage()); }
}
