package dev.bastion.audit.witness;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * How the witness client reaches a witness: one HTTP POST. In the server, {@link EgressWitnessTransport} (the egress
 * gate, like every outbound connection).
 */
public interface WitnessTransport {
    record Reply(int status, String contentType, byte[] body) {}

    Reply post(URI url, String contentType, byte[] body, Duration timeout) throws IOException;
}
