package dev.bastion.inspect;

/**
 * Keeps pseudonym ↔ original pairs per conversation, originals encrypted, with a time to live. A token is
 * {@code <TYPE_n>}, numbered per type within the conversation, and the same original gets the same token for the
 * conversation's lifetime.
 */
public interface PseudonymVault {

    /** The token for {@code value} of {@code type} in {@code conversation}, created if new. */
    String tokenFor(String conversation, EntityType type, String value);

    /**
     * As {@link #tokenFor(String, EntityType, String)}; a new entry is encrypted with {@code owner}'s cipher and
     * labelled with its subjects, purpose and classification ({@code owner} null: the vault's own cipher, no labels).
     */
    default String tokenFor(String conversation, EntityType type, String value, VaultOwner owner) {
        return tokenFor(conversation, type, value);
    }

    /** The original behind {@code token} in {@code conversation}, or null when unknown or expired. */
    String originalFor(String conversation, String token);

    /** Deletes expired entries; returns how many. */
    int purgeExpired();

    /** A per-exchange view that caches answers (a request repeats the same names). */
    default PseudonymSession session(String conversation) {
        return new PseudonymSession(this, conversation, null);
    }

    /** A per-exchange view whose new entries belong to {@code owner} (may be null). */
    default PseudonymSession session(String conversation, VaultOwner owner) {
        return new PseudonymSession(this, conversation, owner);
    }
}
