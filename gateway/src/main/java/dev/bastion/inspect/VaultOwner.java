package dev.bastion.inspect;

import dev.bastion.barrier.BarrierStore;

import java.util.List;

/**
 * Whose data a new vault entry holds, set by the privacy stage when a request names data subjects: the view of the
 * barrier's store that seals the original under the subjects' own keys ({@link BarrierStore#forSubjects}: erasing
 * one makes the entry unreadable) and the labels retention and access requests select by. Subjects are keyed
 * tokens, never ids.
 *
 * @param store          writes originals under these subjects' keys
 * @param subjects       the subjects' tokens
 * @param purpose        declared purpose, or null
 * @param classification declared classification, or null
 */
public record VaultOwner(BarrierStore store, List<String> subjects, String purpose, String classification) {
    public VaultOwner {
        subjects = List.copyOf(subjects);
    }

    @Override
    public String toString() { return "VaultOwner[" + subjects.size() + " subjects]"; }
}
