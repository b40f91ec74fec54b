package dev.bastion.privacy;

import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.audit.RetentionEntry;
import dev.bastion.config.PrivacySettings;
import dev.bastion.inspect.VaultRecords;
import dev.bastion.store.Transactions;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Applies the retention rules: per rule, finds what is due (older than {@code keep}, within the rule's purpose and
 * classification), appends a proof-of-deletion entry ({@link RetentionEntry}: count and a digest over the sorted
 * identities of exactly those records) and then deletes them — or, for {@code subjects}, destroys their keys. The
 * proof goes first, so nothing is removed without one; the audit log itself is kept by checkpoints (see
 * docs/privacy.md, "Archiving the audit log").
 */
public final class RetentionJob {

    /** What one rule removed in one run. */
    public record Outcome(String rule, String data, long removed, String method, String digest, long auditIndex) {}

    private final List<PrivacySettings.Retention> rules;
    private final ConsentRegistry registry;
    private final RetentionScans scans;
    private final VaultRecords vault;
    private final SubjectKeys keys;
    private final Supplier<AuditLedger> ledger;
    private final Clock clock;

    public RetentionJob(List<PrivacySettings.Retention> rules, ConsentRegistry registry, RetentionScans scans,
                        VaultRecords vault, SubjectKeys keys, Supplier<AuditLedger> ledger, Clock clock) {
        this.rules = List.copyOf(rules);
        this.registry = registry;
        this.scans = scans;
        this.vault = vault;
        this.keys = keys;
        this.ledger = ledger;
        this.clock = clock;
    }

    public List<PrivacySettings.Retention> rules() { return rules; }

    /** One pass over every rule; outcomes only for rules that removed something. */
    public synchronized List<Outcome> run() throws AuditUnavailableException {
        List<Outcome> out = new ArrayList<>();
        for (PrivacySettings.Retention rule : rules) {
            Instant now = clock.instant();
            Instant cutoff = now.minus(rule.keep());
            List<String> due = switch (rule.data()) {
                case PSEUDONYMS -> vault.createdBefore(cutoff.toEpochMilli(), rule.purpose(), rule.classification())
                        .stream().map(id -> "vault:" + id).toList();
                case REQUEST_METADATA -> scans.searchRows(cutoff.toEpochMilli(), rule.purpose(), rule.classification());
                case CONSENTS -> scans.lapsedConsents(cutoff.toEpochMilli(), now.toEpochMilli(), rule.purpose());
                case SUBJECTS -> scans.inactiveSubjects(cutoff.toEpochMilli(), now.toEpochMilli());
            };
            if (due.isEmpty()) continue;
            String digest = "sha256:" + AccessExport.sha256(String.join("\n", due).getBytes(StandardCharsets.UTF_8));
            String method = rule.data() == PrivacySettings.Data.SUBJECTS ? "shredded" : "deleted";
            String data = rule.data().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            long index = ledger.get().append(new RetentionEntry(now, rule.name(), data, rule.purpose(),
                    rule.classification(), cutoff, due.size(), method, digest));
            remove(rule.data(), due);
            scans.recordRun(now.toEpochMilli(), rule.name(), due.size(), digest, index);
            out.add(new Outcome(rule.name(), data, due.size(), method, digest, index));
        }
        return out;
    }

    private void remove(PrivacySettings.Data data, List<String> due) {
        switch (data) {
            case PSEUDONYMS -> vault.delete(due.stream().map(id -> id.substring("vault:".length())).toList());
            case REQUEST_METADATA -> tx(c -> scans.deleteSearchRows(c, due));
            case CONSENTS -> {
                registry.settle(registry.write(c -> scans.deleteConsents(c, due)));
                for (String id : due) {
                    String key = id.substring("consent:".length());
                    int slash = key.indexOf('/');
                    registry.deleteEvidence(key.substring(0, slash), key.substring(slash + 1));
                }
            }
            case SUBJECTS -> {
                List<RetentionScans.Subject> subjects = scans.subjects(due);
                for (RetentionScans.Subject s : subjects) keys.destroyKey(s.keyId());
                registry.settle(registry.write(c -> {
                    for (RetentionScans.Subject s : subjects) scans.deleteSubject(c, s.token());
                }));
                for (RetentionScans.Subject s : subjects) {
                    registry.deleteEvidence(s.token());
                    vault.deleteOfSubject(s.token());
                }
            }
        }
    }

    private void tx(ConsentRegistry.Tx tx) {
        Transactions.run(scans.db().dataSource(), "retention delete", c -> {
            tx.run(c);
            return null;
        });
    }
}
