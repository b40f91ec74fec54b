package dev.bastion.testing;

/**
 * Test servers whose YAML says nothing about governance serve models that have no registry entry
 * ({@code governance.insecure-serve-unregistered}), so that tests of other capabilities need not register and
 * approve the stand-in models first. Entries that do exist are still enforced; governance tests configure a
 * {@code governance:} section of their own and so run with the registry fully in force.
 */
public final class GovernanceDefaults {
    private GovernanceDefaults() {}

    public static String servesUnregistered(String yaml) {
        if (yaml.lines().anyMatch(l -> l.startsWith("governance:"))) return yaml;
        return yaml + (yaml.endsWith("\n") ? "" : "\n") + "governance: {insecure-serve-unregistered: true}\n";
    }
}
