package dev.bastion.audit;

/**
 * The audit log could not durably record (or read) an entry: storage down, read-only, full, or too slow. The
 * pipeline answers 503 {@code audit_unavailable} and does not call the backend. The message names the operation
 * and the cause's class, never entry data.
 */
public final class AuditUnavailableException extends Exception {
    public AuditUnavailableException(String message, Throwable cause) {
        super(message + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")"), cause);
    }

    public AuditUnavailableException(String message) {
        this(message, null);
    }
}
