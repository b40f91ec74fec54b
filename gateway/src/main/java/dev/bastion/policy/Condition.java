package dev.bastion.policy;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

/**
 * A condition written like a rule's {@code when:} but kept outside the policy file — a document collection's access
 * rule, for one. It is checked against the policy it was compiled for (the same variables, attribute schema and
 * classification levels), so it must be compiled again when the policy changes ({@link #policyDigest()}).
 */
public final class Condition {
    private final CelRuntime.Program program;
    private final String text;
    private final Policy policy;

    Condition(CelRuntime.Program program, String text, Policy policy) {
        this.program = program;
        this.text = text;
        this.policy = policy;
    }

    /** True only when the condition evaluates to true; false on false and on any evaluation error (fail closed). */
    public boolean holds(PolicyRequest request) {
        try {
            return program.eval(policy.activation(request)) instanceof Boolean b && b;
        } catch (CelEvaluationException | RuntimeException e) {
            return false;
        }
    }

    public String text() { return text; }

    /** The digest of the policy this was compiled against. */
    public String policyDigest() { return policy.digest(); }

    @Override
    public String toString() { return "Condition[" + text.length() + " chars]"; }
}
