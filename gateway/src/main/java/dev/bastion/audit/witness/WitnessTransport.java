package dev.bastion.audit.witness;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * How the witness client reaches a witness: one HTTP POST. The seam for Bastion's egress gate (every outbound
 * connection goes through it once it exists); until then {@link JdkWitnessTransport}.
 */
public interface WitnessTransport {
    record Reply(int status, String contentType, byte[] body) {}

    Reply post(URI url, String contentType, byte[] body, Duration timeout) throws IOException, InterruptedException;
}
