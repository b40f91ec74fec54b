package dev.bastion.config;

import java.time.Duration;

/**
 * The audit ledger ({@code audit:}). {@code origin} names the log: the first line of every checkpoint and the
 * signing key's name, so every process writing one log must use the same origin and it never changes for a log
 * (default {@code <server.host>/bastion/audit}). {@code appendTimeout} bounds how long a request waits for its
 * accept record before it is refused with 503; {@code checkpointInterval} is how often a checkpoint is signed
 * while entries arrive (at most 1 s).
 */
public record AuditSettings(String origin, Duration appendTimeout, Duration checkpointInterval, boolean acceptRollback) {

    public AuditSettings(String origin, Duration appendTimeout, Duration checkpointInterval) {
        this(origin, appendTimeout, checkpointInterval, false);
    }

    /**
     * The operator's one-time override ({@code bastion serve --accept-audit-rollback}, never a configuration key): start
     * on a stored log that does not extend the checkpoint anchored in the data directory; the start is audited.
     */
    public AuditSettings withAcceptRollback() {
        return new AuditSettings(origin, appendTimeout, checkpointInterval, true);
    }
}
