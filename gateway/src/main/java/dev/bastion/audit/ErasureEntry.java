package dev.bastion.audit;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;

/**
 * {@code bastion.audit.erasure/v1}: a data subject was erased. The proof is the id of the destroyed subject key
 * (its tombstone stays in the barrier's key table) and how many records of each kind were removed or unlinked —
 * never the subject id, nor the token that stood for them.
 *
 * @param keyId   the destroyed subject key, or -1 when the subject had none (nothing was held)
 * @param counts  records affected by kind ({@code consents}, {@code vault_entries}, {@code audit_entries}, …)
 * @param outcome {@code erased} or {@code nothing_held}
 */
public record ErasureEntry(String requestId, Instant time, Actor principal, String clientAddress, long keyId,
                           SortedMap<String, Long> counts, String outcome) implements AuditEntry {
    public static final String KIND = "bastion.audit.erasure/v1";

    public ErasureEntry {
        requestId = Fields.token("request_id", requestId);
        if (time == null) throw new IllegalArgumentException("time is required");
        if (principal == null) throw new IllegalArgumentException("principal is required");
        clientAddress = Fields.optionalToken("client", clientAddress);
        if (keyId < -1) throw new IllegalArgumentException("key_id must be -1 or a key id");
        counts = Fields.counts("counts", counts);
        outcome = Fields.token("outcome", outcome);
    }

    public static ErasureEntry of(String requestId, Instant time, Actor principal, String clientAddress, long keyId,
                                  Map<String, ? extends Number> counts, String outcome) {
        return new ErasureEntry(requestId, time, principal, clientAddress, keyId, Fields.counts("counts", counts),
                outcome);
    }

    @Override
    public String kind() { return KIND; }
}
