package dev.bastion.audit;

import java.time.Duration;

/**
 * Audit ledger settings.
 *
 * @param origin             log identity: first line of every checkpoint and the signing key's name, e.g.
 *                           {@code bastion.example.com/audit} (a schema-less URL, no spaces, no '+')
 * @param checkpointInterval how often the integrator extends the tree and signs a checkpoint while entries arrive
 * @param appendTimeout      how long an append may wait for its commit before it fails as unavailable
 * @param maxBatch           most entries per group-commit transaction and per integration round
 * @param queueCapacity      most appends waiting for the writer; beyond it appends fail fast as unavailable
 * @param integrate          whether this process competes for the integrator role (appending works either way)
 * @param refusalWindow      window for counting floods of unauthenticated refusals
 * @param refusalQuota       unauthenticated refusals per window recorded individually before counting starts
 */
public record AuditConfig(String origin, Duration checkpointInterval, Duration appendTimeout, int maxBatch,
                          int queueCapacity, boolean integrate, Duration refusalWindow, int refusalQuota) {

    public AuditConfig {
        if (!dev.bastion.audit.tlog.Note.isValidKeyName(origin)) {
            throw new IllegalArgumentException("audit origin must be non-empty without spaces or '+'");
        }
        if (checkpointInterval.isNegative() || checkpointInterval.isZero() || checkpointInterval.toMillis() > 1000) {
            throw new IllegalArgumentException("checkpoint interval must be within (0, 1s]");
        }
        if (appendTimeout.isNegative() || appendTimeout.isZero()) throw new IllegalArgumentException("append timeout");
        if (maxBatch < 1 || queueCapacity < 1 || refusalQuota < 0) throw new IllegalArgumentException("sizes");
    }

    public static AuditConfig defaults(String origin) {
        return new AuditConfig(origin, Duration.ofMillis(500), Duration.ofSeconds(5), 1024, 100_000, true,
                Duration.ofSeconds(10), 20);
    }

    public AuditConfig withIntegrate(boolean integrate) {
        return new AuditConfig(origin, checkpointInterval, appendTimeout, maxBatch, queueCapacity, integrate,
                refusalWindow, refusalQuota);
    }

    public AuditConfig withAppendTimeout(Duration timeout) {
        return new AuditConfig(origin, checkpointInterval, timeout, maxBatch, queueCapacity, integrate,
                refusalWindow, refusalQuota);
    }

    public AuditConfig withCheckpointInterval(Duration interval) {
        return new AuditConfig(origin, interval, appendTimeout, maxBatch, queueCapacity, integrate,
                refusalWindow, refusalQuota);
    }

    public AuditConfig withRefusals(Duration window, int quota) {
        return new AuditConfig(origin, checkpointInterval, appendTimeout, maxBatch, queueCapacity, integrate,
                window, quota);
    }
}
