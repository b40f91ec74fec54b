package dev.bastion.audit;

import java.time.Instant;
import java.util.List;

/**
 * {@code bastion.audit.admin/v1}: an administrative action — {@code key.create}, {@code key.revoke},
 * {@code policy.update} (with the digest of the new policy), {@code config.change} (with the names of the changed
 * settings, never their values) — and whether it succeeded.
 *
 * @param target       what was acted on ({@code key:abc123}, {@code policy:default}), or null
 * @param policyDigest {@code sha256:<hex>} of the policy document after the change, or null
 * @param settings     names of changed configuration settings
 */
public record AdminEntry(String requestId, Instant time, Actor principal, String clientAddress, String action,
                         String target, String policyDigest, List<String> settings, String outcome)
        implements AuditEntry {
    public static final String KIND = "bastion.audit.admin/v1";

    public AdminEntry {
        requestId = Fields.optionalToken("request_id", requestId);
        if (time == null) throw new IllegalArgumentException("time is required");
        if (principal == null) throw new IllegalArgumentException("principal is required");
        clientAddress = Fields.optionalToken("client", clientAddress);
        action = Fields.token("action", action);
        target = target == null ? null : Fields.name("target", target);
        policyDigest = Fields.optionalToken("policy_digest", policyDigest);
        if (policyDigest != null && !policyDigest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("policy_digest must be sha256:<64 hex digits>");
        }
        settings = Fields.sortedTokens("settings", settings);
        outcome = Fields.token("outcome", outcome);
    }

    @Override
    public String kind() { return KIND; }
}
