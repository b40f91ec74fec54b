package dev.bastion.governance;

import java.util.Locale;
import java.util.Optional;

/** The risk tier a model card declares; {@code high} needs two distinct approvers. */
public enum RiskTier {
    LOW, MEDIUM, HIGH;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    /** Approvals a card of this tier needs. */
    public int approversNeeded() { return this == HIGH ? 2 : 1; }

    public static Optional<RiskTier> parse(String wire) {
        for (RiskTier t : values()) if (t.wire().equals(wire)) return Optional.of(t);
        return Optional.empty();
    }
}
