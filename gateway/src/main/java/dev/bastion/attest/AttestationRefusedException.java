package dev.bastion.attest;

import java.io.IOException;

/** A connection to an attested backend whose TLS session did not attest: the connection is closed, nothing sent. */
public final class AttestationRefusedException extends IOException {
    public AttestationRefusedException(String reason) { super(reason, null); }
}
