package dev.bastion.audit.tlog;

/**
 * A transparency-log artefact (proof, note, checkpoint, tile path, entry bundle) is malformed or does not verify.
 * Messages describe the structure that failed, never entry contents.
 */
public final class TlogException extends Exception {

    public enum Reason { MALFORMED, INVALID_PROOF, INVALID_SIGNATURE, UNTRUSTED }

    private final Reason reason;
    private final long position;

    public TlogException(Reason reason, String message) {
        this(reason, message, -1);
    }

    /** @param position the entry or element position the problem was found at, or -1 */
    public TlogException(Reason reason, String message, long position) {
        super(message);
        this.reason = reason;
        this.position = position;
    }

    public Reason reason() { return reason; }

    /** The entry (or proof element) position the problem was found at, or -1 when not tied to one. */
    public long position() { return position; }

    static TlogException malformed(String message) { return new TlogException(Reason.MALFORMED, message); }

    static TlogException invalidProof(String message) { return new TlogException(Reason.INVALID_PROOF, message); }
}
