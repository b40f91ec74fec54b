package dev.bastion.audit;

import java.time.Instant;

/**
 * {@code bastion.audit.retention/v1}: proof of deletion by the retention job. {@code digest} is SHA-256 over the
 * sorted identities of what was removed (pseudonym-vault entry ids, leaf indexes of search rows, consent keys,
 * subject key ids — never values), so anyone holding a copy of the data from before can check the claim.
 *
 * @param rule           the retention rule's name
 * @param data           what it governs ({@code pseudonyms}, {@code request-metadata}, {@code consents}, {@code subjects})
 * @param purpose        the purpose it is limited to, or null
 * @param classification the classification it is limited to, or null
 * @param cutoff         records older than this were due
 * @param method         {@code deleted} or {@code shredded} (keys destroyed)
 */
public record RetentionEntry(Instant time, String rule, String data, String purpose, String classification,
                             Instant cutoff, long removed, String method, String digest) implements AuditEntry {
    public static final String KIND = "bastion.audit.retention/v1";

    public RetentionEntry {
        if (time == null || cutoff == null) throw new IllegalArgumentException("time and cutoff are required");
        rule = Fields.token("rule", rule);
        data = Fields.token("data", data);
        purpose = Fields.optionalToken("purpose", purpose);
        classification = Fields.optionalToken("classification", classification);
        Fields.nonNegative("removed", removed);
        method = Fields.token("method", method);
        digest = Fields.token("digest", digest);
        if (!digest.matches("sha256:[0-9a-f]{64}")) throw new IllegalArgumentException("digest must be sha256:<hex>");
    }

    @Override
    public String kind() { return KIND; }
}
