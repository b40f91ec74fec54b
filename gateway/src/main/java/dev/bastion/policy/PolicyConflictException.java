package dev.bastion.policy;

/** A policy write named the version it replaces, and a later one exists: the author must read it again. */
public final class PolicyConflictException extends RuntimeException {
    private final long latest;

    PolicyConflictException(long latest) {
        super("the policy changed meanwhile: version " + latest + " is the latest", null, false, false);
        this.latest = latest;
    }

    public long latest() { return latest; }
}
