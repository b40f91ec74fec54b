package dev.bastion.server;

import dev.bastion.api.AdminAudit;
import dev.bastion.api.AdminGuard;
import dev.bastion.api.AuditApi;
import dev.bastion.api.ErrorPages;
import dev.bastion.api.InFlight;
import dev.bastion.api.JsonBodies;
import dev.bastion.api.KeysApi;
import dev.bastion.api.ModelApi;
import dev.bastion.api.ModelsApi;
import dev.bastion.api.OperatorApi;
import dev.bastion.api.ParseStage;
import dev.bastion.api.SlowClientGuard;
import dev.bastion.audit.AuditConfig;
import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.AuditStage;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.audit.LedgerRef;
import dev.bastion.audit.RefusalAuditStage;
import dev.bastion.backend.ModelBackend;
import dev.bastion.backend.OllamaBackend;
import dev.bastion.backend.OpenAiBackend;
import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.KeyProviderConfig;
import dev.bastion.barrier.SealGate;
import dev.bastion.barrier.SecretStore;
import dev.bastion.barrier.ServerSecrets;
import dev.bastion.config.BackendSettings;
import dev.bastion.config.BastionConfig;
import dev.bastion.config.ModelSettings;
import dev.bastion.config.UpstreamTlsSettings;
import dev.bastion.identity.ApiKeyIdentityProvider;
import dev.bastion.identity.ApiKeyService;
import dev.bastion.identity.AuthenticateStage;
import dev.bastion.identity.Authenticator;
import dev.bastion.identity.Principal;
import dev.bastion.localengine.LocalEngines;
import dev.bastion.ops.GatewayMetrics;
import dev.bastion.ops.HealthApi;
import dev.bastion.ops.ObserveStage;
import dev.bastion.pipeline.Pipeline;
import dev.bastion.route.ForwardTerminal;
import dev.bastion.route.ModelCatalog;
import dev.bastion.route.RouteStage;
import dev.bastion.store.Database;
import dev.bastion.store.ServerState;
import dev.bastion.tls.ClientCertMapper;
import dev.bastion.tls.ServerTls;
import dev.bastion.tls.UpstreamTls;
import io.helidon.webserver.http.HttpRouting;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The object graph, built by hand and read top to bottom: store → barrier → identity → backends and routes → the
 * request pipeline → HTTP routes. Nothing here is discovered by reflection.
 */
final class Wiring implements AutoCloseable {
    final BastionConfig config;
    final Clock clock;
    final Database db;
    final Barrier barrier;
    final ApiKeyService keys;
    final LocalEngines engines;
    final ModelCatalog catalog;
    final GatewayMetrics metrics;
    final InFlight inFlight = new InFlight();
    final Pipeline pipeline;
    final SlowClientGuard slowClients;
    final LedgerRef ledger = new LedgerRef();
    private final ServerSecrets secrets;
    private final PrintStream console;
    private final Authenticator authenticator;
    private final JsonBodies json;

    Wiring(BastionConfig config, Clock clock, PrintStream console) {
        this.config = config;
        this.clock = clock;
        this.console = console;
        SecureRandom random = new SecureRandom();

        this.db = Database.open(config.store());
        ServerState state = new ServerState(db, random);

        this.barrier = Barrier.start(db, KeyProviderConfig.autoProvider(config.barrier().section(), config.dataDir()));
        this.secrets = new ServerSecrets(SecretStore.over(db, barrier), random);
        if (!barrier.isSealed()) openLedger();

        this.keys = new ApiKeyService(db, state, secrets.source(ServerSecrets.API_KEY_HMAC, 32), clock, random);
        ClientCertMapper certificates = ClientCertMapper.fromConfig(config.server().tls().mtlsRules());
        this.authenticator = new Authenticator(List.of(new ApiKeyIdentityProvider(keys)), certificates::map);

        Map<String, ModelBackend> backends = new LinkedHashMap<>();
        for (BackendSettings b : config.backends()) backends.put(b.name(), backend(b));
        this.engines = LocalEngines.start(config.engine(), db, config.dataDir(), clock);
        backends.putAll(engines.backends());
        List<BackendSettings> allBackends = new ArrayList<>(config.backends());
        allBackends.addAll(engines.backendSettings());
        List<ModelSettings> allModels = new ArrayList<>(config.models());
        allModels.addAll(engines.models());
        this.catalog = new ModelCatalog(allBackends, allModels, backends);

        this.slowClients = new SlowClientGuard(config.server().readTimeout());
        this.metrics = new GatewayMetrics();
        metrics.gauge("bastion.requests.in.flight", "Model API requests being served", inFlight::count);

        this.json = new JsonBodies(config.limits().maxJsonDepth(), config.server().maxBodyBytes(),
                config.server().readTimeout());
        ExchangeAuditFacts facts = new ExchangeAuditFacts();
        this.pipeline = new Pipeline(List.of(
                new ObserveStage(metrics, catalog),
                new SealGate(barrier),
                new RefusalAuditStage(ledger, facts, clock),
                new AuthenticateStage(authenticator),
                new ParseStage(json, config.limits(), config.server().maxBodyBytes()),
                new RouteStage(catalog),
                new AuditStage(ledger, facts, clock, acceptTimer(metrics))),
                new ForwardTerminal());
    }

    /** {@code bastion.audit.append}: what the durable accept record adds to each model request. */
    private static AuditStage.AcceptTimer acceptTimer(GatewayMetrics metrics) {
        String help = "Time a model request waits for its audit accept record to be durably stored";
        var stored = metrics.latency("bastion.audit.append", help, java.time.Duration.ofMillis(1).dividedBy(10),
                java.time.Duration.ofSeconds(10), "outcome", "stored");
        var failed = metrics.latency("bastion.audit.append", help, java.time.Duration.ofMillis(1).dividedBy(10),
                java.time.Duration.ofSeconds(10), "outcome", "unavailable");
        return (nanos, ok) -> (ok ? stored : failed).accept(nanos);
    }

    private static ModelBackend backend(BackendSettings settings) {
        UpstreamTls tls = "https".equals(settings.url().getScheme()) ? upstreamTls(settings.tls()) : null;
        return switch (settings.type()) {
            case OPENAI -> new OpenAiBackend(settings, tls);
            case OLLAMA -> new OllamaBackend(settings, tls);
        };
    }

    private static UpstreamTls upstreamTls(UpstreamTlsSettings t) {
        ServerTls.Source client = t.clientChain() == null ? null : new ServerTls.Source.PemFiles(t.clientChain(),
                t.clientKey(), t.clientKeyPassword().present()
                        ? dev.bastion.barrier.Passphrase.of(t.clientKeyPassword().value()) : null);
        return UpstreamTls.create(new UpstreamTls.Config(t.ca(), t.spkiPins(), client, t.allowTls12()));
    }

    /**
     * The audit ledger needs its signing key, which lives behind the barrier: opened at start when the barrier is
     * open, else as soon as it opens. No usable audit storage means no start (fail closed).
     */
    private void openLedger() {
        ledger.open(() -> {
            try {
                var a = config.audit();
                AuditConfig settings = AuditConfig.defaults(a.origin()).withAppendTimeout(a.appendTimeout())
                        .withCheckpointInterval(a.checkpointInterval());
                AuditLedger l = AuditLedger.open(db, settings,
                        generate -> secrets.source(ServerSecrets.AUDIT_SIGNING_KEY, 32).get(), clock);
                console.println("Audit log verifier key: " + l.verifierKey());
                return l;
            } catch (AuditUnavailableException e) {
                throw new IllegalStateException("audit storage is not usable: " + e.getMessage(), e);
            }
        });
    }

    void routes(HttpRouting.Builder routing) {
        AdminGuard guard = new AdminGuard(authenticator, Wiring::roleAllows);
        AdminAudit adminAudit = new AdminAudit(ledger, clock);
        new ModelApi(pipeline, inFlight, clock, config.server().readTimeout()).register(routing);
        new ModelsApi(catalog, guard, clock.instant().getEpochSecond()).register(routing);
        new KeysApi(keys, guard, json, clock, adminAudit).register(routing);
        new OperatorApi(barrier, config.barrier().section(), guard, json, db.dataSource(), clock,
                this::afterBarrierOpens, adminAudit).register(routing);
        new AuditApi(ledger, guard).register(routing);
        new HealthApi(db, catalog, metrics, inFlight::draining, barrier::isSealed).register(routing);
        ErrorPages.registerFallback(routing);
    }

    /**
     * Runs once the barrier is open (at start with a self-unsealing provider, else after init/unseal): issues the
     * bootstrap admin key on the very first start and prints it once.
     */
    Map<String, Object> afterBarrierOpens() {
        openLedger();
        Optional<ApiKeyService.Created> admin = keys.bootstrapAdminIfFirstStart();
        admin.ifPresent(created -> {
            console.println("First start: created the admin API key (shown only this once, store it now):");
            console.println("  " + created.key());
        });
        return admin.<Map<String, Object>>map(c -> Map.of("admin_key", c.key())).orElse(Map.of());
    }

    /** Until the policy engine decides, Bastion's own API is for the admin role only. */
    private static boolean roleAllows(Principal principal, String action) {
        return principal.hasRole("admin");
    }

    @Override
    public void close() {
        slowClients.close();
        engines.close();
        catalog.close();
        ledger.close();
        barrier.seal();
        db.close();
    }
}
