package dev.bastion.audit;

import dev.bastion.audit.tlog.Checkpoint;

/** What {@link LogVerifier} concluded. */
public sealed interface VerificationResult {

    /** The log verifies: signed checkpoint, entries, tiles and (if given) the trusted checkpoint all agree. */
    record Verified(Checkpoint checkpoint, long entriesChecked) implements VerificationResult {}

    /**
     * The log does not verify.
     *
     * @param firstBadIndex the first leaf index at which the log is wrong (tampered, missing, truncated), or -1 when
     *                      the problem is not tied to one entry (e.g. a forged checkpoint)
     */
    record Failed(Problem problem, String message, long firstBadIndex) implements VerificationResult {}

    enum Problem {
        /** No checkpoint, or a resource the checkpoint requires is missing. */
        MISSING,
        /** Checkpoint or note malformed. */
        MALFORMED_CHECKPOINT,
        /** The checkpoint is not validly signed by the given key. */
        BAD_SIGNATURE,
        /** Checkpoint origin differs from the key name or from the trusted checkpoint's origin. */
        ORIGIN_MISMATCH,
        /** An entry bundle is malformed or holds fewer/more entries than its path says. */
        BAD_BUNDLE,
        /** An entry does not hash to the leaf hash the log publishes for its index. */
        ENTRY_MISMATCH,
        /** A published hash tile differs from the one recomputed from the entries. */
        TILE_MISMATCH,
        /** The entries do not produce the root the checkpoint signs. */
        ROOT_MISMATCH,
        /** The log is smaller than a checkpoint that was trusted earlier. */
        ROLLBACK,
        /** The log is not an extension of the trusted checkpoint (history rewritten). */
        INCONSISTENT,
        /** The trusted checkpoint given to the verifier is itself malformed or not signed by the key. */
        BAD_TRUSTED_CHECKPOINT,
        /** Fewer than the required number of the given witnesses cosigned the checkpoint. */
        NOT_WITNESSED
    }

    default boolean ok() { return this instanceof Verified; }
}
