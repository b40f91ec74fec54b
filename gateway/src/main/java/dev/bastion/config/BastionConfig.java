package dev.bastion.config;

import dev.bastion.store.StoreConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * The whole validated configuration ({@code bastion.yaml} plus {@code BASTION_*} environment overrides).
 * Every key is documented in docs/configuration.md.
 */
public record BastionConfig(ServerSettings server, Path dataDir, StoreConfig store, BarrierSettings barrier,
                            Limits limits, List<BackendSettings> backends, List<ModelSettings> models) {

    public BastionConfig {
        backends = List.copyOf(backends);
        models = List.copyOf(models);
    }

    /** Request limits that protect the server and the backends from oversized or hostile requests. */
    public record Limits(int maxTokens, int maxJsonDepth, int maxMessages) {}
}
