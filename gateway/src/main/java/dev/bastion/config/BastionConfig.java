package dev.bastion.config;

import dev.bastion.store.StoreConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * The whole validated configuration ({@code bastion.yaml} plus {@code BASTION_*} environment overrides).
 * Every key is documented in docs/configuration.md.
 */
public record BastionConfig(ServerSettings server, Path dataDir, StoreConfig store, BarrierSettings barrier,
                            Limits limits, List<BackendSettings> backends, List<ModelSettings> models,
                            EngineSettings engine, PolicySettings policy, IdentitySettings identity,
                            AuditSettings audit, EgressSettings egress, GovernanceSettings governance,
                            Quotas quotas, ConsoleSettings console, InspectSettings inspect,
                            dev.bastion.telemetry.TelemetrySettings telemetry,
                            PrivacySettings privacy, RagSettings rag) {

    public BastionConfig {
        backends = List.copyOf(backends);
        models = List.copyOf(models);
    }

    /** The same configuration with one more model for the built-in engine ({@code serve --model FILE}). */
    public BastionConfig withEngineModel(EngineSettings.Model model) {
        return new BastionConfig(server, dataDir, store, barrier, limits, backends, models, engine.withModel(model),
                policy, identity, audit, egress, governance, quotas, console, inspect, telemetry, privacy, rag);
    }

    /** The same configuration with the audit-rollback override on ({@code serve --accept-audit-rollback}). */
    public BastionConfig withAuditRollbackAccepted() {
        return new BastionConfig(server, dataDir, store, barrier, limits, backends, models, engine, policy, identity,
                audit.withAcceptRollback(), egress, governance, quotas, console, inspect, telemetry, privacy, rag);
    }

    /**
     * Quotas and budgets.
     *
     * @param defaultMaxTokens completion tokens reserved for a request that sets no {@code max_tokens}
     */
    public record Quotas(dev.bastion.quota.QuotaSettings settings, int defaultMaxTokens) {}

    /** Request limits that protect the server and the backends from oversized or hostile requests. */
    /**
     * @param inspectionWindow characters of a streamed answer held back so that an entity or pseudonym split across
     *                         events is still seen whole (entities longer than this can slip through a cut)
     */
    public record Limits(int maxTokens, int maxJsonDepth, int maxMessages, int inspectionWindow) {}
}
