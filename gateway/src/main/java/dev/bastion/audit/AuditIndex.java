package dev.bastion.audit;

/**
 * The fact an exchange carries once its record of acceptance is durable: the leaf index of the accept record (model
 * routes) or of the {@code requested} record (audited admin routes). Every response that has one says so in
 * {@code X-Bastion-Audit-Index}; an exchange without one that is refused gets a refusal record instead.
 */
public record AuditIndex(long leaf) {
    public AuditIndex {
        if (leaf < 0) throw new IllegalArgumentException("leaf index must be >= 0");
    }
}
