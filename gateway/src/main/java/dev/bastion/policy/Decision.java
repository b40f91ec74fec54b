package dev.bastion.policy;

import dev.bastion.pipeline.Problem;

import java.util.List;

/**
 * The answer to one authorization question.
 *
 * @param allowed           whether the action may proceed
 * @param reason            stable reason code
 * @param ruleIds           the rules that decided: matching permits when allowed, matching forbids when forbidden,
 *                          the purpose-bound permits on a purpose denial; empty on default deny
 * @param obligations       merged demands for later stages ({@link Obligations#NONE} when denied)
 * @param obligationRuleIds obligate rules whose obligations were added
 * @param policyDigest      digest of the policy text that decided ({@code sha256:…}), for the audit record
 */
public record Decision(boolean allowed, Reason reason, List<String> ruleIds, Obligations obligations,
                       List<String> obligationRuleIds, String policyDigest) {

    public Decision {
        ruleIds = List.copyOf(ruleIds);
        obligationRuleIds = List.copyOf(obligationRuleIds);
        if (allowed != (reason == Reason.ALLOWED)) throw new IllegalArgumentException("allowed must match reason");
    }

    static Decision deny(Reason reason, List<String> ruleIds, String digest) {
        return new Decision(false, reason, ruleIds, Obligations.NONE, List.of(), digest);
    }

    /**
     * The client-facing error for a denial: a stable code and the deciding rule ids, never rule text or request data.
     *
     * @throws IllegalStateException when the decision allowed the action
     */
    public Problem problem() { return problem(null); }

    /**
     * As {@link #problem()}; a {@code consent_missing} denial names the declared {@code purpose} (never a subject).
     */
    public Problem problem(String purpose) {
        if (allowed) throw new IllegalStateException("decision allowed the action");
        String message = switch (reason) {
            case NO_PERMIT -> "no policy rule permits this action";
            case FORBIDDEN -> "forbidden by policy";
            case PURPOSE_REQUIRED -> "a declared purpose (X-Bastion-Purpose) is required";
            case PURPOSE_NOT_ALLOWED -> "the declared purpose is not allowed for this action";
            case MODEL_NOT_IN_SCOPE -> "this credential may not use the requested model";
            case MODEL_NOT_FOUND -> "the requested model does not exist";
            case EVALUATION_ERROR -> "policy could not be evaluated for this request";
            case CONSENT_MISSING -> purpose == null || purpose.isEmpty()
                    ? "a named data subject has no lawful basis on record, and no purpose (X-Bastion-Purpose) was declared"
                    : "a named data subject has no lawful basis on record for the purpose '" + purpose + "'";
            case ALLOWED -> throw new IllegalStateException();
        };
        if (reason == Reason.MODEL_NOT_IN_SCOPE || reason == Reason.MODEL_NOT_FOUND) {
            return reason.errorCode().problem(message, "model");
        }
        if (ruleIds.isEmpty()) return reason.errorCode().problem(message);
        message += " (rule " + String.join(", ", ruleIds) + ")";
        // machine-readable too: the ids only, never the rules' text or conditions
        return reason.errorCode().problem(message).withDetail("rule_ids", String.join(",", ruleIds));
    }
}
