package dev.bastion.inspect;

/**
 * Keeps pseudonym ↔ original pairs per conversation, originals encrypted, with a time to live. A token is
 * {@code <TYPE_n>}, numbered per type within the conversation, and the same original gets the same token for the
 * conversation's lifetime.
 */
public interface PseudonymVault {

    /** The token for {@code value} of {@code type} in {@code conversation}, created if new. */
    String tokenFor(String conversation, EntityType type, String value);

    /** The original behind {@code token} in {@code conversation}, or null when unknown or expired. */
    String originalFor(String conversation, String token);

    /** Deletes expired entries; returns how many. */
    int purgeExpired();

    /** A per-exchange view that caches answers (a request repeats the same names). */
    default PseudonymSession session(String conversation) {
        return new PseudonymSession(this, conversation);
    }
}
