package dev.bastion.privacy;

import dev.bastion.common.SubjectErasure;

import dev.bastion.audit.Actor;
import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.audit.ErasureEntry;
import dev.bastion.barrier.Barrier;
import dev.bastion.inspect.VaultRecords;
import dev.bastion.store.ChangeFeed;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Erasure of a data subject (GDPR Art. 17): deletes what is held under their token (consents, the subject record,
 * pseudonym-vault entries), destroys their key — whatever is still encrypted for them becomes unreadable, and their
 * token can no longer be computed from their id, so audit entries stay verifiable but stop linking to the person —
 * and appends an {@link ErasureEntry} with the destroyed key id and the counts, never the id.
 */
public final class Erasure {

    /** What an erasure did; {@code auditIndex} is the leaf index of its proof entry. */
    public record Proof(String outcome, long keyId, Map<String, Long> counts, long auditIndex,
                        ChangeFeed.Propagation propagation) {}

    private final ConsentRegistry registry;
    private final SubjectKeys keys;
    private final PrivacyStore store;
    private final VaultRecords vault;
    private final ToLongFunction<String> auditEntriesOf;
    private final List<SubjectErasure> elsewhere;
    private final Supplier<AuditLedger> ledger;
    private final SubjectRequests requests;
    private final Clock clock;

    /**
     * @param auditEntriesOf how many audit entries carry a subject token (from the search index)
     * @param elsewhere      other capabilities holding the subject's data (retrieval's documents), each erased by id
     */
    public Erasure(ConsentRegistry registry, SubjectKeys keys, PrivacyStore store, VaultRecords vault,
                   ToLongFunction<String> auditEntriesOf, List<SubjectErasure> elsewhere, Supplier<AuditLedger> ledger,
                   SubjectRequests requests, Clock clock) {
        this.registry = registry;
        this.keys = keys;
        this.store = store;
        this.vault = vault;
        this.auditEntriesOf = auditEntriesOf;
        this.elsewhere = elsewhere;
        this.ledger = ledger;
        this.requests = requests;
        this.clock = clock;
    }

    public Proof erase(String subjectId, Actor who, String requestId, String client) throws AuditUnavailableException {
        Optional<Barrier.SubjectToken> held = registry.tokens().existing(subjectId);
        TreeMap<String, Long> counts = new TreeMap<>();
        long keyId = -1;
        ChangeFeed.Propagation propagation = null;
        // what other capabilities hold by the subject's id goes first, whether or not a token was ever issued
        long elsewhereRemoved = 0;
        for (SubjectErasure e : elsewhere) {
            long n = e.erase(subjectId);
            counts.put(e.name(), n);
            elsewhereRemoved += n;
        }
        if (held.isPresent()) {
            String token = held.get().token();
            counts.put("audit_entries", auditEntriesOf.applyAsLong(token));
            int[] removed = new int[2];
            registry.write(c -> {
                int[] r = store.deleteSubject(c, token);
                removed[0] = r[0];
                removed[1] = r[1];
            });
            registry.deleteEvidence(token);
            int vaultEntries = vault.deleteOfSubject(token);
            counts.put("consents", (long) removed[0]);
            counts.put("subject_records", (long) removed[1]);
            counts.put("vault_entries", (long) vaultEntries);
            // the key goes last: if anything above failed, a retry still finds the subject
            keyId = keys.destroy(subjectId).orElse(held.get().keyId());
            // published after the key is gone, so no replica re-derives the dead token from a cached key
            propagation = registry.settle(registry.write(c -> { }));
        }
        String outcome = held.isPresent() || elsewhereRemoved > 0 ? "erased" : "nothing_held";
        long index = ledger.get().append(ErasureEntry.of(requestId, clock.instant(), who, client, keyId, counts,
                outcome));
        requests.record(requestId, "erasure", null, who.id(), outcome, index);
        return new Proof(outcome, keyId, Map.copyOf(counts), index, propagation);
    }
}
