package dev.bastion.config;

import java.util.Map;

/**
 * A model alias clients use, bound to one backend and the model name that backend knows.
 *
 * @param alias      the name in the client's {@code model} field and in {@code /v1/models}
 * @param backend    name of a declared backend
 * @param upstream   model name sent to the backend
 * @param labels     free labels for policy (for example {@code family: llama}, {@code tier: internal})
 */
public record ModelSettings(String alias, String backend, String upstream, Map<String, String> labels) {
    public ModelSettings {
        labels = Map.copyOf(labels);
    }
}
