package dev.bastion.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The audit ledger ({@code audit:}). {@code origin} names the log: the first line of every checkpoint and the
 * signing key's name, so every process writing one log must use the same origin and it never changes for a log
 * (default {@code <server.host>/bastion/audit}). {@code appendTimeout} bounds how long a request waits for its
 * accept record before it is refused with 503; {@code checkpointInterval} is how often a checkpoint is signed
 * while entries arrive (at most 1 s). {@code witnesses} (C2SP tlog-witness) cosign each checkpoint; with any
 * configured, a checkpoint is published once {@code witnessQuorum} of them cosigned it.
 */
public record AuditSettings(String origin, Duration appendTimeout, Duration checkpointInterval,
                            List<Witness> witnesses, int witnessQuorum, Duration witnessTimeout) {
    /** A witness: its cosigner verifier key ({@code name+hash+base64}, type 0x04) and submission URL prefix. */
    public record Witness(String key, URI url) {}

    public AuditSettings {
        witnesses = List.copyOf(witnesses);
    }
}
