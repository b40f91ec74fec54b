package dev.bastion.config;

import dev.bastion.egress.AllowEntry;
import dev.bastion.egress.EgressGate;

import java.util.List;

/**
 * The egress gate ({@code egress:} in {@code bastion.yaml}): whether the destinations the configuration declares are
 * allowed by being declared, and the extra allow-list entries (names, and the networks that private addresses need).
 */
public record EgressSettings(EgressGate.Mode mode, List<AllowEntry> allow) {
    public static final EgressSettings DEFAULT = new EgressSettings(EgressGate.Mode.DECLARED, List.of());

    public EgressSettings {
        allow = List.copyOf(allow);
    }
}
