package dev.bastion.audit;

import java.time.Instant;

/**
 * {@code bastion.audit.quota/v1}: a quota counter crossed 80 % or 100 % of its limit in a window — recorded once
 * across replicas. The scope is the keyed hash token the counters use, never the key id, principal or team itself.
 *
 * @param rule        the quota's name
 * @param limit       which limit ({@code tokens-per-day}, {@code cost-per-month}, …)
 * @param scope       hash token of the scope value
 * @param windowStart when the window began
 * @param threshold   80 or 100 (per cent)
 * @param limitValue  the limit (requests, tokens, or micro-units of currency)
 * @param used        settled usage when the crossing was seen
 */
public record QuotaEntry(Instant time, String rule, String limit, String scope, Instant windowStart, int threshold,
                         long limitValue, long used) implements AuditEntry {
    public static final String KIND = "bastion.audit.quota/v1";

    public QuotaEntry {
        if (time == null || windowStart == null) throw new IllegalArgumentException("times are required");
        rule = Fields.token("rule", rule);
        limit = Fields.token("limit", limit);
        scope = Fields.token("scope", scope);
        if (threshold < 1 || threshold > 100) throw new IllegalArgumentException("threshold is a percentage");
        Fields.nonNegative("limit_value", limitValue);
        Fields.nonNegative("used", used);
    }

    @Override
    public String kind() { return KIND; }
}
