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
                            List<Witness> witnesses, int witnessQuorum, Duration witnessTimeout, boolean acceptRollback) {
    /** A witness: its cosigner verifier key ({@code name+hash+base64}, type 0x04) and submission URL prefix. */
    public record Witness(String key, URI url) {}

    public AuditSettings {
        witnesses = List.copyOf(witnesses);
    }

    public AuditSettings(String origin, Duration appendTimeout, Duration checkpointInterval, List<Witness> witnesses,
                         int witnessQuorum, Duration witnessTimeout) {
        this(origin, appendTimeout, checkpointInterval, witnesses, witnessQuorum, witnessTimeout, false);
    }

    /**
     * The operator's one-time override ({@code bastion serve --accept-audit-rollback}, never a configuration key): start
     * on a stored log that does not extend the checkpoint anchored in the data directory; the start is audited.
     */
    public AuditSettings withAcceptRollback() {
        return new AuditSettings(origin, appendTimeout, checkpointInterval, witnesses, witnessQuorum, witnessTimeout, true);
    }
}
