package dev.bastion.config;

import java.time.Duration;

/**
 * The audit ledger ({@code audit:}). {@code origin} names the log: the first line of every checkpoint and the
 * signing key's name, so every process writing one log must use the same origin and it never changes for a log
 * (default {@code <server.host>/bastion/audit}). {@code appendTimeout} bounds how long a request waits for its
 * accept record before it is refused with 503; {@code checkpointInterval} is how often a checkpoint is signed
 * while entries arrive (at most 1 s).
 */
public record AuditSettings(String origin, Duration appendTimeout, Duration checkpointInterval) {}
