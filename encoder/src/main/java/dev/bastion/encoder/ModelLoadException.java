package dev.bastion.encoder;

/** A model or tokenizer could not be loaded (missing file, digest mismatch, unexpected inputs or outputs). */
public final class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
