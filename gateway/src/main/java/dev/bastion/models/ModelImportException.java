package dev.bastion.models;

/** An import that cannot go ahead; the message names the problem, never file contents. */
public final class ModelImportException extends Exception {

    public enum Reason { INVALID_NAME, NAME_TAKEN, NOT_FOUND, NOT_GGUF, UNSUPPORTED_MODEL, CHANGED_WHILE_READING, IO }

    private final Reason reason;

    public ModelImportException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() { return reason; }
}
