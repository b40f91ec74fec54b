package dev.bastion.barrier;

import dev.bastion.pipeline.ErrorCode;

/**
 * A typed barrier failure. Messages name the kind and the operation, never a value, a key or a passphrase; the
 * logical path is not included either, because paths may carry conversation or subject identifiers.
 */
public final class BarrierException extends RuntimeException {

    public enum Kind {
        /** No key provider has opened the barrier yet, or it was sealed: nothing can be read or written. */
        SEALED,
        /** The authentication tag did not verify: the bytes were altered (or encrypted under other data). */
        TAMPERED,
        /** The ciphertext belongs to another record: it was moved or copied from elsewhere. */
        WRONG_PATH,
        /** The key id in the header is not in the keyring (or not in the subject key table). */
        UNKNOWN_KEY,
        /** The data subject's key was destroyed: the value is gone for good (crypto-shredding). */
        SHREDDED,
        /** Not a barrier ciphertext: too short or an unknown format version. */
        MALFORMED,
        /** Unsealing failed: wrong passphrase, wrong HSM key, or a provider that does not match the store. */
        UNSEAL_FAILED,
        /** The key provider itself failed (HSM unreachable, key file unreadable, bad provider parameters). */
        PROVIDER,
        /** An operation that needs an uninitialised or initialised barrier found the other state. */
        STATE
    }

    private final Kind kind;

    public BarrierException(Kind kind, String message) {
        super(kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + message);
        this.kind = kind;
    }

    public BarrierException(Kind kind, String message, Throwable cause) {
        super(kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + message
                + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")"), cause);
        this.kind = kind;
    }

    public Kind kind() { return kind; }

    /** How the server answers: sealed is 503 {@code sealed}; every other barrier failure is an internal error. */
    public ErrorCode errorCode() {
        return kind == Kind.SEALED ? ErrorCode.SEALED : ErrorCode.INTERNAL;
    }

    static BarrierException sealed() {
        return new BarrierException(Kind.SEALED, "the barrier is sealed");
    }
}
