package dev.bastion.store;

/** A storage operation failed. The message names the operation, never the data. */
public final class StoreException extends RuntimeException {
    public StoreException(String operation, Throwable cause) {
        super("store operation failed: " + operation + " (" + cause.getClass().getSimpleName() + ")", cause);
    }
}
