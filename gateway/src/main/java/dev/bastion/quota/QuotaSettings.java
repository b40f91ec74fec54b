package dev.bastion.quota;

import java.util.List;
import java.util.Map;

/**
 * The {@code quotas:} section: rules, and per-model prices for cost budgets.
 *
 * @param prices model alias → price; a model without a price costs nothing
 * @param rules  every quota
 */
public record QuotaSettings(Map<String, Price> prices, List<QuotaRule> rules) {
    public static final QuotaSettings NONE = new QuotaSettings(Map.of(), List.of());

    /** Price per million tokens in units of the configured currency, which is micro-units per token. */
    public record Price(double prompt, double completion) {
        public Price {
            if (!(prompt >= 0) || !(completion >= 0)) throw new IllegalArgumentException("prices are non-negative");
        }

        long cost(long promptTokens, long completionTokens) {
            return Math.round(Math.max(0, promptTokens) * prompt + Math.max(0, completionTokens) * completion);
        }
    }

    public QuotaSettings {
        prices = Map.copyOf(prices);
        rules = List.copyOf(rules);
    }

    public boolean isEmpty() { return rules.isEmpty(); }
}
