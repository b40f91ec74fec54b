package dev.bastion.server;

import dev.bastion.barrier.BlindIndex;

import java.nio.charset.StandardCharsets;

/** Quota scope values (key ids, principals, teams, purposes) as keyed hashes: the counters never hold them in clear. */
record ScopeHash(BlindIndex index) {
    byte[] of(String scopeValue) { return index.of("quotas/scope", scopeValue.getBytes(StandardCharsets.UTF_8)); }
}
