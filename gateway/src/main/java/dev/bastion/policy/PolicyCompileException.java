package dev.bastion.policy;

import java.util.List;

/** A policy or cases file that does not compile; carries every error found, each with file:line. */
public final class PolicyCompileException extends Exception {
    private final List<PolicyError> errors;

    public PolicyCompileException(List<PolicyError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    public List<PolicyError> errors() { return errors; }

    private static String summary(List<PolicyError> errors) {
        if (errors.isEmpty()) return "invalid policy";
        var first = errors.getFirst().toString();
        return errors.size() == 1 ? first : first + " (and " + (errors.size() - 1) + " more)";
    }
}
