package dev.bastion.config;

import java.util.List;
import java.util.Map;

/**
 * A model alias clients use, served by one or more backends.
 *
 * @param alias   the name in the client's {@code model} field and in {@code /v1/models}
 * @param targets the backends that serve it, each with the model name it knows, a priority group (lower first) and
 *                a weight within the group
 * @param labels  free labels for policy (for example {@code family: llama}, {@code tier: internal})
 */
public record ModelSettings(String alias, List<Target> targets, Map<String, String> labels) {

    /** One backend of an alias. */
    public record Target(String backend, String upstream, int priority, int weight) {
        public Target {
            if (weight < 1) throw new IllegalArgumentException("weight must be at least 1");
        }
    }

    public ModelSettings {
        if (targets.isEmpty()) throw new IllegalArgumentException("an alias needs at least one backend");
        targets = List.copyOf(targets);
        labels = Map.copyOf(labels);
    }

    /** An alias served by exactly one backend. */
    public ModelSettings(String alias, String backend, String upstream, Map<String, String> labels) {
        this(alias, List.of(new Target(backend, upstream, 0, 1)), labels);
    }

    /** The first (preferred) target's backend. */
    public String backend() { return targets.getFirst().backend(); }

    /** The model name the first target's backend knows. */
    public String upstream() { return targets.getFirst().upstream(); }
}
