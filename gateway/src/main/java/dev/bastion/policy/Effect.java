package dev.bastion.policy;

/** What a rule does when it matches. */
public enum Effect {
    /** Grants the action (subject to purpose binding); its obligations apply. */
    PERMIT,
    /** Denies the action whatever else matches. */
    FORBID,
    /** Grants nothing; when the action is permitted by another rule, adds its obligations. */
    OBLIGATE;

    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
}
