package dev.bastion.quota;

import java.util.Map;

/**
 * What quotas need to know about a request at admission.
 *
 * @param apiKey           the API key's principal id, or null when the caller used another credential
 * @param principal        the principal's id
 * @param attributes       the principal's attributes (team, tenant, …)
 * @param purpose          the declared purpose, or "" for none
 * @param model            the model alias (prices are per alias)
 * @param promptTokens     estimated prompt tokens
 * @param completionTokens the most the answer may hold ({@code max_tokens}, or the configured default)
 */
public record QuotaRequest(String apiKey, String principal, Map<String, Object> attributes, String purpose,
                           String model, long promptTokens, long completionTokens) {
    public QuotaRequest {
        attributes = Map.copyOf(attributes);
        purpose = purpose == null ? "" : purpose;
    }

    /** The value this request is counted under for a scope, or null when the scope does not apply to it. */
    String scopeValue(QuotaRule.Scope scope) {
        return switch (scope) {
            case QuotaRule.Scope.Key k -> apiKey;
            case QuotaRule.Scope.Principal p -> "principal:" + principal;
            case QuotaRule.Scope.Attribute a -> {
                Object v = attributes.get(a.name());
                yield v == null ? null : "attribute:" + a.name() + "=" + v;
            }
            case QuotaRule.Scope.Purpose p -> "purpose:" + (purpose.isEmpty() ? "none" : purpose);
            case QuotaRule.Scope.All a -> "all";
        };
    }
}
