package dev.bastion.egress;

import java.io.IOException;

/**
 * The gate refused a connection before any packet was sent. An {@link IOException} so that transports treat it as
 * "could not connect"; callers that care can tell it apart and report {@code egress_denied}. The message names the
 * destination and the reason, which come from configuration, never from request content.
 */
public final class EgressDeniedException extends IOException {
    /** Why the gate said no. */
    public enum Reason {
        /** Host and port are neither declared nor on the allow-list. */
        NOT_ALLOWED,
        /** The name resolved only to addresses that need a declaration (private, loopback, link-local, …). */
        ADDRESS_NOT_DECLARED,
        /** An instance-metadata address that is not declared exactly. */
        METADATA,
        /** Unspecified, multicast or broadcast: never a destination. */
        NEVER
    }

    private final Reason reason;
    private final Destination destination;

    EgressDeniedException(Destination destination, Reason reason, String why) {
        super("egress to " + destination.address() + " (" + destination.purpose() + ") refused: " + why);
        this.reason = reason;
        this.destination = destination;
    }

    public Reason reason() { return reason; }

    public Destination destination() { return destination; }
}
