package dev.bastion.policy;

import java.util.List;

/** What a reload did. A rejected file never replaces the running policy. */
public sealed interface ReloadResult {

    /** The policy that is running after this reload. */
    String digest();

    /** The new file compiled and now decides. */
    record Applied(String previousDigest, String digest, int rules) implements ReloadResult {}

    /** The file holds the running policy already. */
    record Unchanged(String digest) implements ReloadResult {}

    /** The new file does not compile (or cannot be read); the previous policy keeps running. */
    record Rejected(String digest, List<PolicyError> errors) implements ReloadResult {
        public Rejected {
            errors = List.copyOf(errors);
        }
    }
}
