package dev.bastion.tls;

/** TLS material could not be loaded or used. Messages name files and reasons, never key material or passwords. */
public final class TlsException extends RuntimeException {
    public TlsException(String message) { super(message); }

    public TlsException(String message, Throwable cause) {
        super(message + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")"), cause);
    }
}
