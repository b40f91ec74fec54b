package dev.bastion.governance;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a registry entry stands: {@code draft → evaluated → approved → deployed → retired | revoked}. Only
 * {@code approved} and {@code deployed} entries route; {@code retired} and {@code revoked} are final.
 */
public enum LifecycleState {
    DRAFT, EVALUATED, APPROVED, DEPLOYED, RETIRED, REVOKED;

    /** The name used in the API, the store, the audit log and policy ({@code resource.approval}). */
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public boolean routable() { return this == APPROVED || this == DEPLOYED; }

    public boolean terminal() { return this == RETIRED || this == REVOKED; }

    public static Optional<LifecycleState> parse(String wire) {
        for (LifecycleState s : values()) if (s.wire().equals(wire)) return Optional.of(s);
        return Optional.empty();
    }
}
