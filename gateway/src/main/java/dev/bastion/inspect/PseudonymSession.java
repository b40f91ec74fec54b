package dev.bastion.inspect;

import java.util.HashMap;
import java.util.Map;

/** One exchange's use of the vault for one conversation, with in-memory caches. Not thread-safe. */
public final class PseudonymSession {
    private final PseudonymVault vault;
    private final String conversation;
    private final VaultOwner owner;
    private final Map<String, String> tokens = new HashMap<>();
    private final Map<String, String> originals = new HashMap<>();

    PseudonymSession(PseudonymVault vault, String conversation, VaultOwner owner) {
        this.vault = vault;
        this.conversation = conversation;
        this.owner = owner;
    }

    public String conversation() { return conversation; }

    public String tokenFor(EntityType type, String value) {
        String key = type.name() + '\u0000' + value;
        String t = tokens.get(key);
        if (t == null) {
            t = owner == null ? vault.tokenFor(conversation, type, value) : vault.tokenFor(conversation, type, value, owner);
            tokens.put(key, t);
            originals.put(t, value);
        }
        return t;
    }

    /** The original for a token, or null. */
    public String originalFor(String token) {
        String v = originals.get(token);
        if (v == null && !originals.containsKey(token)) {
            v = vault.originalFor(conversation, token);
            originals.put(token, v);
        }
        return v;
    }

    @Override
    public String toString() { return "PseudonymSession[redacted]"; }
}
