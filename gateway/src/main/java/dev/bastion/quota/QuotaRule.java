package dev.bastion.quota;

import java.util.EnumMap;
import java.util.Map;

/**
 * One quota: what it is counted per ({@link Scope}) and its limits. A request is admitted only when every rule
 * that applies to it has room in every one of its limits.
 *
 * @param name   stable name, shown in errors, audit entries and the budget API
 * @param limits per metric; costs in micro-units of the configured currency
 */
public record QuotaRule(String name, Scope scope, Map<Metric, Long> limits) {

    /** What a rule counts per. */
    public sealed interface Scope {
        /** Each API key (credential) separately; callers without an API key are not counted by this rule. */
        record Key() implements Scope {}

        /** Each principal (API key, token subject, certificate). */
        record Principal() implements Scope {}

        /** Each value of a principal attribute ({@code team}, {@code tenant}); callers without it are not counted. */
        record Attribute(String name) implements Scope {}

        /** Each declared purpose; a request that declares none counts under {@code none}. */
        record Purpose() implements Scope {}

        /** Everything together: one counter for the whole deployment. */
        record All() implements Scope {}

        /** {@code key}, {@code principal}, {@code attribute:team}, {@code purpose}, {@code all}; null when unknown. */
        static Scope parse(String s) {
            return switch (s) {
                case "key" -> new Key();
                case "principal" -> new Principal();
                case "purpose" -> new Purpose();
                case "all" -> new All();
                default -> s.startsWith("attribute:") && s.length() > 10 ? new Attribute(s.substring(10)) : null;
            };
        }
    }

    public QuotaRule {
        if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("a quota name is 1-64 lower-case letters, digits, . _ -");
        }
        if (limits.isEmpty()) throw new IllegalArgumentException("a quota needs at least one limit");
        limits.values().forEach(v -> {
            if (v < 0) throw new IllegalArgumentException("limits are non-negative");
        });
        limits = Map.copyOf(new EnumMap<>(limits));
    }

    /** {@code key}, {@code principal}, {@code attribute:team}, … as configured; throws when unknown. */
    public static Scope scope(String s) {
        Scope scope = Scope.parse(s);
        if (scope == null) throw new IllegalArgumentException("scope must be key, principal, attribute:<name>, purpose or all");
        return scope;
    }
}
