package dev.bastion.server;

import dev.bastion.api.AdminRoutes;
import dev.bastion.api.AuditApi;
import dev.bastion.api.AuditSearchApi;
import dev.bastion.api.ConsentApi;
import dev.bastion.api.PrivacyOpsApi;
import dev.bastion.api.SubjectsApi;
import dev.bastion.api.CanonicalRequests;
import dev.bastion.api.InspectApi;
import dev.bastion.api.ErrorPages;
import dev.bastion.api.InFlight;
import dev.bastion.api.JsonBodies;
import dev.bastion.api.KeysApi;
import dev.bastion.api.ModelApi;
import dev.bastion.api.ModelsApi;
import dev.bastion.api.InitToken;
import dev.bastion.api.QuotaApi;
import dev.bastion.api.RoutingApi;
import dev.bastion.api.OperatorApi;
import dev.bastion.api.OperatorAttempts;
import dev.bastion.api.OpsAccess;
import dev.bastion.api.PolicyApi;
import dev.bastion.api.RoleGrants;
import dev.bastion.api.SlowClientGuard;
import dev.bastion.audit.AuditConfig;
import dev.bastion.audit.AuditLedger;
import dev.bastion.audit.CheckpointCosignatures;
import dev.bastion.audit.tlog.Cosignature;
import dev.bastion.audit.tlog.TlogException;
import dev.bastion.audit.witness.EgressWitnessTransport;
import dev.bastion.audit.witness.Witness;
import dev.bastion.audit.witness.WitnessClient;
import dev.bastion.audit.witness.WitnessPublisher;
import dev.bastion.audit.AuditStage;
import dev.bastion.audit.CheckpointAnchor;
import dev.bastion.audit.AuditUnavailableException;
import dev.bastion.audit.LedgerRef;
import dev.bastion.backend.ModelBackend;
import dev.bastion.backend.OllamaBackend;
import dev.bastion.backend.OpenAiBackend;
import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.BarrierStore;
import dev.bastion.barrier.BlindIndex;
import dev.bastion.barrier.KeyProviderConfig;
import dev.bastion.barrier.SecretStore;
import dev.bastion.barrier.ServerSecrets;
import dev.bastion.config.BackendSettings;
import dev.bastion.config.BastionConfig;
import dev.bastion.config.IdentitySettings;
import dev.bastion.config.ModelSettings;
import dev.bastion.config.UpstreamTlsSettings;
import dev.bastion.egress.Destination;
import dev.bastion.egress.EgressGate;
import dev.bastion.egress.EgressHttp;
import dev.bastion.egress.Resolver;
import dev.bastion.identity.ApiKeyIdentityProvider;
import dev.bastion.identity.ApiKeyService;
import dev.bastion.identity.Authenticator;
import dev.bastion.identity.IdentityProvider;
import dev.bastion.identity.JwksSource;
import dev.bastion.identity.JwtIdentityProvider;
import dev.bastion.identity.JwtIssuers;
import dev.bastion.identity.JwtVerifier;
import dev.bastion.inspect.DryRun;
import dev.bastion.inspect.Inspector;
import dev.bastion.inspect.BarrierPseudonymVault;
import dev.bastion.inspect.PseudonymVault;
import dev.bastion.governance.Bindings;
import dev.bastion.governance.Datasets;
import dev.bastion.governance.EvaluationApi;
import dev.bastion.governance.Evaluations;
import dev.bastion.governance.Lifecycle;
import dev.bastion.governance.Registry;
import dev.bastion.governance.RegistryApi;
import dev.bastion.governance.RegistryEntry;
import dev.bastion.governance.RegistryStages;
import dev.bastion.governance.RoutingGate;
import dev.bastion.governance.SignatureVerifier;
import dev.bastion.governance.TrustedSigners;
import dev.bastion.localengine.LocalEngines;
import dev.bastion.ops.GatewayMetrics;
import dev.bastion.ops.HealthApi;
import dev.bastion.pipeline.Pipeline;
import dev.bastion.route.Route;
import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyCompileException;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.PolicyStore;
import dev.bastion.audit.QuotaEntry;
import dev.bastion.quota.Metric;
import dev.bastion.quota.QuotaService;
import dev.bastion.rag.Rag;
import dev.bastion.common.SubjectErasure;
import dev.bastion.route.Eligibility;
import dev.bastion.route.HealthChecker;
import dev.bastion.route.ModelCatalog;
import dev.bastion.store.ChangeFeed;
import dev.bastion.store.Database;
import dev.bastion.store.ServerState;
import dev.bastion.telemetry.Telemetry;
import dev.bastion.tls.ClientCertMapper;
import dev.bastion.tls.ServerTls;
import dev.bastion.tls.UpstreamTls;
import io.helidon.webserver.http.HttpRouting;

import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The object graph, built by hand and read top to bottom: store → barrier → identity → backends and routes → the
 * request pipeline → HTTP routes. Nothing here is discovered by reflection.
 */
final class Wiring implements AutoCloseable {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Wiring.class.getName());
    final BastionConfig config;
    final Clock clock;
    final Database db;
    /** Tells every replica that shared state changed (see {@link ChangeFeed}); one per process. */
    final ChangeFeed changes;
    final Barrier barrier;
    final ApiKeyService keys;
    final LocalEngines engines;
    final ModelCatalog catalog;
    private final HealthChecker health;
    private final RoutingReload routingReload;
    final QuotaService quotas;
    final GatewayMetrics metrics;
    final InFlight inFlight = new InFlight();
    final Pipeline pipeline;
    final SlowClientGuard slowClients;
    /** Pseudonym originals are kept this long after their last use, then purged. */
    static final Duration PSEUDONYM_TTL = Duration.ofHours(24);
    private final Inspector inspector;
    private final Rag.BuiltIn builtInEmbeddings;
    private final PseudonymVault vault;
    private final ScheduledExecutorService housekeeping;
    final LedgerRef ledger = new LedgerRef();
    private final List<Witness> witnesses;
    private volatile WitnessPublisher witnessing;
    final PolicyHolder policies;
    final PolicyStore policyStore;
    /** The barrier's storage API: every persisted secret and personal value goes through it. */
    final BarrierStore records;
    /** The credential for operator init, written to the data directory while the barrier is uninitialised. */
    final InitToken initToken;
    private final ServerSecrets secrets;
    private final PrintStream console;
    private final Authenticator authenticator;
    private final JsonBodies json;
    private final RequestChains chains;
    final RoutingGate routingGate;
    final Registry registry;
    private final Lifecycle lifecycle;
    private final Evaluations evaluations;
    private final Datasets datasets;
    final RegistryStages registryStages;
    /** Bastion's own API as registered (for tests that walk every route). */
    volatile AdminRoutes adminRoutes;
    /**
     * Who else may take a backend out of a request's choice (model approval, attestation): each check is asked per
     * candidate backend after the policy's, and names a reason class when it says no. Add yours before the request
     * chains are built.
     */
    final List<Eligibility> routingChecks = new ArrayList<>();
    final AttestationRouting attestation;
    /** Every outbound connection goes through it; its manifest is in the audit log. */
    final EgressGate egress;
    /** Private retrieval: collections, ingestion, the local index, retrieval under policy (docs/rag.md). */
    final Rag rag;
    /**
     * Who else holds data linked to a data subject and removes it on erasure (privacy's erasure calls each one):
     * retrieval's documents today.
     */
    final List<SubjectErasure> subjectErasures = new ArrayList<>();
    /** OpenTelemetry: the tracer of every request chain and the OTLP metrics bridge (off unless configured). */
    final Telemetry telemetry;
    private final EgressAudit egressAudit;
    private final Privacy privacy;
    /** The web console at /console/ (sessions, pages, dashboards' series). */
    private final dev.bastion.console.Console webConsole;

    Wiring(BastionConfig config, Clock clock, PrintStream console) {
        this(config, clock, console, () -> config);
    }

    /** @param reread reads the configuration again, for reloading backends and aliases without a restart */
    Wiring(BastionConfig config, Clock clock, PrintStream console, java.util.function.Supplier<BastionConfig> reread) {
        try {
            this.config = config;
            this.clock = clock;
            this.console = console;
            SecureRandom random = new SecureRandom();
            StartPhases phases = new StartPhases();
            // the inspection models (ONNX Runtime, MiniLM: about a second) load beside the policy compile and the store's
            // migrations, which need none of them; joined below where the inspector is first needed
            dev.bastion.encoder.NativeTelemetryOff.ensure(); // before any other thread may read the C environment
            var inspectionLoad = java.util.concurrent.CompletableFuture.supplyAsync(() -> InspectionSetup.from(config.inspect()),
                    r -> Thread.ofPlatform().name("inspection-load").daemon().start(r));
            // first, so an invalid policy file stops the start before anything is opened
            this.policies = openPolicy(config);
            phases.mark("policy");
            console.println("Policy: " + (config.policy().builtIn() ? "built-in default" : config.policy().file())
                    + ", " + policies.current().ruleCount() + " rules, " + policies.current().digest());

            this.egress = new EgressGate(config.egress().mode(), config.egress().allow(), Resolver.SYSTEM);
            this.egressAudit = new EgressAudit(egress, ledger, clock);
            this.witnesses = witnesses(config, egress);
            this.db = Database.open(config.store());
            phases.mark("store");
            this.changes = ChangeFeed.start(db, ChangeFeed.Settings.defaults());
            // the policy is shared by every replica: versions in the store, the file (or the default) seeds the first
            this.policyStore = PolicyStore.open(db, changes, policies, policySeed(config), clock);
            console.println("Policy version " + policies.version() + ": " + policies.current().ruleCount() + " rules, "
                    + policies.current().digest());
            ServerState state = new ServerState(db, random);

            this.barrier = Barrier.start(db, KeyProviderConfig.autoProvider(config.barrier().section(), config.dataDir()));
            this.initToken = InitToken.forStart(barrier.status().state() == Barrier.State.UNINITIALIZED,
                    config.dataDir(), random);
            this.records = BarrierStore.over(db, barrier, clock);
            this.secrets = new ServerSecrets(new SecretStore(records), random);
            if (!barrier.isSealed()) openLedger();
            phases.mark("barrier+audit");

            this.keys = new ApiKeyService(db, state, secrets.source(ServerSecrets.API_KEY_HMAC, 32), clock, random);
            ClientCertMapper certificates = ClientCertMapper.fromConfig(config.server().tls().mtlsRules());
            List<IdentityProvider> providers = new ArrayList<>(List.of(new ApiKeyIdentityProvider(keys)));
            if (!config.identity().issuers().isEmpty()) {
                providers.add(jwtProvider(config.identity(), new EgressHttp(egress), clock));
            }
            this.authenticator = new Authenticator(providers, certificates::map);
            this.webConsole = dev.bastion.console.Console.create(config, db, barrier, authenticator, egress, policies, policyStore,
                    clock);

            // governance: the model registry gates routing; its changes reach every replica through the change feed
            var gov = config.governance();
            this.routingGate = new RoutingGate(db, changes);
            java.util.Set<String> remoteBackends = new java.util.HashSet<>();
            for (BackendSettings b : config.backends()) remoteBackends.add(b.name());
            this.registry = new Registry(db, ledger, changes,
                    new SignatureVerifier(TrustedSigners.load(gov.signingKeys(), gov.signingRoots())),
                    remoteBackends::contains, clock);
            this.lifecycle = new Lifecycle(registry, gov.requireSignature());
            phases.mark("identity+console+registry");
            if (gov.insecureServeUnregistered()) {
                LOG.warning("governance.insecure-serve-unregistered is on: models without a registry entry are served");
            }

            InspectionSetup inspection = joined(inspectionLoad);
            phases.mark("inspection (rest of its load)");
            this.inspector = inspection.inspector();
            this.rag = Rag.start(config.rag(), config.dataDir(), db, barrier, secrets.source("rag/term-key", 32),
                    secrets.source("rag/token-key", 32), inspector, policies, changes, e -> ledger.get().append(e), clock);
            subjectErasures.add(new SubjectErasure() {
                @Override
                public String name() { return "rag_documents"; }

                @Override
                public long erase(String subjectId) { return rag.eraseSubject(subjectId); }
            });
            this.builtInEmbeddings = rag.builtIn();

            this.attestation = new AttestationRouting(egress, clock);
            Map<String, ModelBackend> backends = new LinkedHashMap<>();
            for (BackendSettings b : config.backends()) backends.put(b.name(), backend(b, egress, attestation));
            this.engines = LocalEngines.start(config.engine(), config.dataDir(), registry::knownArtifact);
            backends.putAll(engines.backends());
            List<BackendSettings> fixedBackends = new ArrayList<>(engines.backendSettings());
            List<ModelSettings> fixedModels = new ArrayList<>(engines.models());
            if (builtInEmbeddings != null) {
                backends.put(builtInEmbeddings.settings().name(), builtInEmbeddings.backend());
                fixedBackends.add(builtInEmbeddings.settings());
                fixedModels.add(builtInEmbeddings.model());
            }
            List<BackendSettings> allBackends = new ArrayList<>(config.backends());
            allBackends.addAll(fixedBackends);
            List<ModelSettings> allModels = new ArrayList<>(config.models());
            allModels.addAll(fixedModels);
            this.catalog = new ModelCatalog(allBackends, allModels, backends);
            this.health = new HealthChecker(catalog, 250);
            this.routingReload = new RoutingReload(reread, b -> backend(b, egress, attestation), catalog, fixedBackends,
                    fixedModels, () -> {
                        backendGauges();
                        attestation.retain(catalog.settings()); // removed backends leave readiness and the refresher
                    });
            for (BackendSettings b : allBackends) {
                if (!b.attributes().containsKey("max_classification")) {
                    LOG.warning("backend '" + b.name() + "' declares no max-classification: the shipped policy sends it no data");
                }
            }

            this.slowClients = new SlowClientGuard(config.server().readTimeout());
            this.telemetry = Telemetry.start(config.telemetry(), egress); // declares the collector: before the manifest
            this.metrics = new GatewayMetrics(telemetry.meterRegistry());
            if (config.telemetry().traces() && telemetry.tracer() != null) {
                metrics.countedElsewhere("bastion.tracing.spans.exported", "Trace spans the OTLP collector accepted",
                        telemetry, Telemetry::exportedSpans);
                metrics.countedElsewhere("bastion.tracing.spans.dropped",
                        "Trace spans dropped (export queue full or export failed)", telemetry, Telemetry::droppedSpans);
            }
            metrics.gauge("bastion.requests.in.flight", "Model API requests being served", inFlight::count);
            backendGauges();
            // appends per transaction is the group-commit batch size: one fsync covers that many entries
            metrics.countedElsewhere("bastion.audit.appends", "Audit entries made durable",
                    ledger, l -> l.isOpen() ? l.get().stats().appended() : 0);
            metrics.countedElsewhere("bastion.audit.transactions", "Audit write transactions (one fsync each)",
                    ledger, l -> l.isOpen() ? l.get().stats().transactions() : 0);

            this.json = new JsonBodies(config.limits().maxJsonDepth(), config.server().maxBodyBytes(),
                    config.server().readTimeout());
            phases.mark("backends+telemetry");
            this.evaluations = new Evaluations(db, registry, lifecycle, inspector, this::aliasesFor, clock);
            this.datasets = new Datasets(db, registry, inspector);
            this.registryStages = new RegistryStages(routingGate, evaluations, gov.insecureServeUnregistered());
            metrics.countedElsewhere("bastion.governance.unregistered.served",
                    "Requests served to models without a registry entry (governance.insecure-serve-unregistered)",
                    registryStages, RegistryStages::unregisteredServed);
            BarrierPseudonymVault pseudonyms = new BarrierPseudonymVault(records,
                    new BlindIndex(secrets.source(ServerSecrets.VAULT_BLIND_INDEX, 32)), clock, PSEUDONYM_TTL);
            this.vault = pseudonyms;
            this.privacy = new Privacy(config, db, barrier, records, pseudonyms, changes, ledger, egress,
                    subjectErasures, clock); // retrieval adds its erasure to the list below
            this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bastion-housekeeping");
                t.setDaemon(true);
                return t;
            });
            housekeeping.scheduleWithFixedDelay(this::purgeExpired, 1, 10, TimeUnit.MINUTES);
            privacy.schedule(housekeeping);
            housekeeping.scheduleWithFixedDelay(this::maintainRetrieval, 1, 1, TimeUnit.MINUTES);
            this.quotas = new QuotaService(db, config.quotas().settings(),
                    new ScopeHash(new BlindIndex(secrets.source("quotas/scope-index", 32)))::of, clock, this::quotaCrossed);
            housekeeping.scheduleWithFixedDelay(this::flushQuotas, 250, 250, TimeUnit.MILLISECONDS);
            for (var rule : config.quotas().settings().rules()) {
                for (var metric : rule.limits().keySet()) {
                    metrics.gauge("bastion.quota.utilisation", "Highest used/limit ratio among a quota's current counters",
                            () -> quotas.utilisation(rule.name(), metric), "quota", rule.name(), "limit", metric.key());
                }
            }
            // the registry's approval is checked for every backend a request may go to, fallbacks included
            routingChecks.add(this::unapproved);
            // so is attestation, for backends that declare it; attested ahead of traffic and before expiry
            routingChecks.add(attestation::excluded);
            housekeeping.scheduleWithFixedDelay(attestation::refresh, 0,
                    AttestationRouting.REFRESH_PERIOD.toSeconds(), TimeUnit.SECONDS);
            // a remote model routes only while its backend reports the identity registered for it
            var identities = new dev.bastion.governance.RemoteIdentityCheck(routingGate, catalog::backend, clock);
            routingChecks.add(identities);
            Runnable recheck = () -> Thread.ofVirtual().name("identity-recheck").start(identities::recheck);
            changes.subscribe(RoutingGate.TOPIC, version -> recheck.run());
            long every = Math.max(1, gov.identityRecheck().toMillis());
            housekeeping.scheduleWithFixedDelay(recheck, every, every, TimeUnit.MILLISECONDS);
            this.chains = new RequestChains(config, clock, barrier, ledger, authenticator, policies, catalog, metrics,
                    json, inspection, vault, acceptTimer(metrics), registryStages,
                    r -> attestation.resource(r, r.policyResource().withApproval(routingGate.check(Bindings.of(r)).approval())),
                    routingChecks, attestation.stage(), quotas, config.quotas().defaultMaxTokens(),
                    webConsole.telemetryStage(), telemetry.tracer(),
                    privacy.stage(), rag.stage(catalog));
            this.pipeline = chains.model;
            egressAudit.start(); // every destination is declared by now
            if (!barrier.isSealed()) registerEngineArtifacts();
            phases.mark("chains");
            LOG.info(phases.summary());
        } catch (RuntimeException | Error e) {
            // a start that fails half-way (no usable audit storage, a bad file) leaves no thread or pool running:
            // tests start many servers in one JVM, and an embedding application may try again
            try {
                close();
            } catch (RuntimeException | Error suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    // ---- access control: policy and OIDC/JWT identity --------------------------------------------------------

    /** The value of a start-up task, its failure rethrown as it was thrown. */
    private static <T> T joined(java.util.concurrent.CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /** The configured policy file (watched if asked), else the shipped default. An invalid file stops the start. */
    private PolicyHolder openPolicy(BastionConfig config) {
        if (config.policy().builtIn()) return PolicyHolder.of(Policy.loadDefault());
        try {
            PolicyHolder holder = PolicyHolder.open(config.policy().file());
            if (config.policy().watch()) holder.watch();
            return holder;
        } catch (PolicyCompileException e) {
            StringBuilder why = new StringBuilder("policy file " + config.policy().file() + " is invalid:");
            e.errors().forEach(err -> why.append("\n  ").append(err));
            throw new IllegalStateException(why.toString(), e);
        } catch (IOException e) {
            throw new IllegalStateException("policy file " + config.policy().file() + " cannot be read: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /** The text the policy was opened from: the first version of a new store. */
    private static String policySeed(BastionConfig config) {
        if (config.policy().builtIn()) return Policy.defaultText();
        try {
            return java.nio.file.Files.readString(config.policy().file());
        } catch (IOException e) {
            throw new IllegalStateException("policy file " + config.policy().file() + " cannot be read: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static IdentityProvider jwtProvider(IdentitySettings identity, EgressHttp http, Clock clock) {
        Duration timeout = Duration.ofSeconds(5);
        List<JwtVerifier> verifiers = new ArrayList<>();
        for (IdentitySettings.Issuer i : identity.issuers()) {
            JwksSource source = switch (i.jwks()) {
                case IdentitySettings.Jwks.Url u -> JwksSource.url(http, u.uri(), timeout);
                case IdentitySettings.Jwks.File f -> JwksSource.file(f.path());
                case IdentitySettings.Jwks.Discovery d -> JwksSource.discovered(http, i.jwt().issuer(), timeout);
            };
            verifiers.add(new JwtVerifier(i.jwt(), source, clock));
        }
        return new JwtIdentityProvider(new JwtIssuers(verifiers));
    }

    /** Per backend: calls in flight and waiting, whether it is in rotation, ejections so far. */
    private void backendGauges() {
        for (var state : catalog.states()) {
            String name = state.name();
            metrics.gauge("bastion.backend.in.flight", "Calls in flight per backend",
                    () -> { var s = catalog.state(name); return s == null ? 0 : s.inFlight(); }, "backend", name);
            metrics.gauge("bastion.backend.queued", "Calls waiting for a backend's concurrency slot",
                    () -> { var s = catalog.state(name); return s == null ? 0 : s.queued(); }, "backend", name);
            metrics.gauge("bastion.backend.available", "1 when the backend is in rotation, 0 when ejected or unhealthy",
                    () -> { var s = catalog.state(name); return s != null && s.unavailable() == null ? 1 : 0; },
                    "backend", name);
            metrics.gauge("bastion.backend.ejections", "Times the backend was taken out of rotation since start",
                    () -> { var s = catalog.state(name); return s == null ? 0 : s.ejectionsTotal(); }, "backend", name);
        }
    }

    /** Routing eligibility: "unapproved" for a backend whose model the registry does not let serve now. */
    private String unapproved(dev.bastion.pipeline.Exchange exchange, Route r) {
        return servable(r) ? null : Eligibility.UNAPPROVED;
    }

    /** Whether the registry lets a route serve now (what {@code /v1/models} lists). */
    private boolean servable(Route r) {
        var v = routingGate.check(Bindings.of(r));
        return v.routable() || (config.governance().insecureServeUnregistered() && v.entryId() == null);
    }

    /** The model aliases whose routes resolve to a registry binding (where evaluation items are sent). */
    private List<String> aliasesFor(String binding) {
        List<String> out = new ArrayList<>();
        for (Route r : catalog.routes()) if (Bindings.of(r).equals(binding)) out.add(r.alias());
        return out;
    }

    /**
     * Registers what the built-in engine serves (as drafts, unless the registry knows the artifact already): done
     * once the audit log is open, since every registry step is audited. Under
     * {@code governance.insecure-serve-unregistered} nothing is registered on the operator's behalf: what the engine
     * serves stays unregistered (and so served) until someone registers it.
     */
    private void registerEngineArtifacts() {
        if (config.governance().insecureServeUnregistered()) return;
        var system = new dev.bastion.identity.Principal("system:engine", dev.bastion.identity.Principal.Type.SERVICE,
                java.util.Set.of(), Map.of(), dev.bastion.identity.Principal.AuthMethod.LOCAL, java.util.Set.of());
        if (builtInEmbeddings != null) {
            // the built-in encoder is a draft like any engine model: it routes once approved
            try {
                registry.ensureLocal(new RegistryEntry.Artifact(builtInEmbeddings.sha256(), builtInEmbeddings.size(),
                        "onnx", java.nio.file.Path.of("builtin", "all-minilm-l6-v2-q.onnx"), "bert", "int8", 256L,
                        null, "wordpiece"), RegistryEntry.Kind.MODEL, "all-minilm-l6-v2-q", null, system);
            } catch (RuntimeException e) {
                LOG.warning("built-in encoder could not be registered (" + e.getClass().getSimpleName()
                        + "); its alias will not route until it is");
            }
        }
        for (LocalEngines.Served s : engines.served()) {
            try {
                RegistryEntry base = registry.ensureLocal(s.base(), RegistryEntry.Kind.MODEL,
                        s.adapter() == null ? s.name() : s.baseName(), null, system);
                if (s.adapter() != null) {
                    registry.ensureLocal(s.adapter(), RegistryEntry.Kind.ADAPTER, s.name(), base.id(), system);
                }
            } catch (RuntimeException e) {
                LOG.warning("engine model " + s.name() + " could not be registered (" + e.getClass().getSimpleName()
                        + "); it will not route until it is");
            }
        }
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

    private static ModelBackend backend(BackendSettings settings, EgressGate egress, AttestationRouting attestation) {
        UpstreamTls upstream = "https".equals(settings.url().getScheme()) ? upstreamTls(settings.tls()) : null;
        dev.bastion.egress.TlsLayer tls = upstream == null ? null : attestation.tls(settings, upstream);
        return switch (settings.type()) {
            case OPENAI -> new OpenAiBackend(settings, tls, egress);
            case OLLAMA -> new OllamaBackend(settings, tls, egress);
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
                        generate -> secrets.source(ServerSecrets.AUDIT_SIGNING_KEY, 32).get(), clock,
                        CheckpointAnchor.in(config.dataDir(), a.acceptRollback()));
                console.println("Audit log verifier key: " + l.verifierKey());
                startWitnessing(l);
                return l;
            } catch (AuditUnavailableException e) {
                throw new IllegalStateException("audit storage is not usable: " + e.getMessage(), e);
            }
        });
    }

    /** The audit witnesses, each declared to the egress gate as a destination. */
    private static List<Witness> witnesses(BastionConfig config, EgressGate egress) {
        List<Witness> ws = new ArrayList<>();
        for (var w : config.audit().witnesses()) {
            try {
                ws.add(new Witness(Cosignature.Verifier.parse(w.key()), w.url()));
            } catch (TlogException e) {
                throw new IllegalStateException("audit witness key is invalid: " + e.getMessage(), e);
            }
            egress.declare(Destination.of(EgressWitnessTransport.PURPOSE, w.url()));
        }
        return List.copyOf(ws);
    }

    /** Witnessed audit (C2SP tlog-witness): checkpoints are published once the configured quorum cosigned them. */
    private void startWitnessing(AuditLedger l) {
        if (witnesses.isEmpty()) return;
        var a = config.audit();
        l.reader().requireWitnessQuorum(a.witnessQuorum());
        witnessing = new WitnessPublisher(l.reader(), new CheckpointCosignatures(db), witnesses,
                new WitnessClient(new EgressWitnessTransport(new EgressHttp(egress)), a.witnessTimeout()));
        witnessing.start(a.checkpointInterval());
    }

    void routes(HttpRouting.Builder routing) {
        routing.addFilter(new CanonicalRequests()); // first: one spelling per request, for every route
        new ModelApi(pipeline, inFlight, clock, config.server().readTimeout()).register(routing);
        AdminRoutes admin = new AdminRoutes(routing, chains, json, clock);
        this.adminRoutes = admin;
        new ModelsApi(catalog, policies, clock.instant().getEpochSecond(), this::servable).register(admin);
        new RoutingApi(catalog, routingReload::reload).register(admin);
        new QuotaApi(quotas).register(admin);
        new KeysApi(keys, clock, new RoleGrants(policies)).register(admin);
        new OperatorApi(barrier, config.barrier().section(), db.dataSource(), clock, this::afterBarrierOpens,
                initToken, new OperatorAttempts(clock, 5, Duration.ofSeconds(10), ledger, ledger::isOpen))
                .register(admin);
        new AuditSearchApi(privacy.search, privacy.tokens).register(admin); // before AuditApi's /audit/*
        new AuditApi(ledger).register(admin);
        new ConsentApi(privacy.registry, policies).register(admin);
        new SubjectsApi(privacy.export, privacy.erasure, privacy.requests).register(admin);
        new PrivacyOpsApi(() -> privacy.records(config, policies.current(), PSEUDONYM_TTL), privacy.retention,
                privacy.scans, clock).register(admin);
        new InspectApi(new DryRun(inspector)).register(admin);
        new PolicyApi(policies, policyStore, config.policy().builtIn() ? "built-in" : config.policy().file().toString(), clock,
                chains.adminLog()).register(admin);
        new RegistryApi(registry, lifecycle, config.governance().modelDirs()).register(admin);
        rag.register(admin);
        new EvaluationApi(registry, evaluations, datasets, config.governance().datasetDirs()).register(admin);
        webConsole.register(routing, admin, chains.adminLog(), () -> ledger.isOpen() ? ledger.get().verifierKey() : "");
        new HealthApi(db, catalog, metrics, inFlight::draining, barrier::isSealed,
                new OpsAccess(authenticator, policies, clock)::refusal)
                .withOutOfRotation(attestation::outOfRotation).register(routing, admin);
        ErrorPages.registerFallback(routing);
    }

    /**
     * Runs once the barrier is open (at start with a self-unsealing provider, else after init/unseal): issues the
     * bootstrap admin key on the very first start and prints it once.
     */
    Map<String, Object> afterBarrierOpens() {
        openLedger();
        egressAudit.start();
        registerEngineArtifacts();
        Optional<ApiKeyService.Created> admin = keys.bootstrapAdminIfFirstStart();
        admin.ifPresent(created -> {
            console.println("First start: created the admin API key (shown only this once, store it now):");
            console.println("  " + created.key());
        });
        return admin.<Map<String, Object>>map(c -> Map.of("admin_key", c.key())).orElse(Map.of());
    }

    /** 80 % / 100 % of a quota's limit: recorded once across replicas. */
    private void quotaCrossed(String rule, Metric metric, String scope, long window, int threshold, long limit, long used) {
        if (!ledger.isOpen()) return;
        ledger.get().appendAsync(new QuotaEntry(clock.instant(), rule, metric.key(), scope,
                java.time.Instant.ofEpochSecond(window), threshold, limit, used)).exceptionally(e -> {
                    LOG.severe("quota threshold entry not written: " + e.getClass().getSimpleName());
                    return -1L;
                });
    }

    private void flushQuotas() {
        if (barrier.isSealed()) return;
        try {
            quotas.flush();
        } catch (RuntimeException e) {
            LOG.warning("quota flush failed: " + e.getClass().getSimpleName());
        }
    }

    /** Retrieval's retention (expired documents deleted) and index reconciliation. */
    private void maintainRetrieval() {
        if (barrier.isSealed()) return;
        try {
            rag.maintain();
        } catch (RuntimeException e) {
            LOG.warning("retrieval maintenance failed: " + e.getClass().getSimpleName());
        }
    }

    /** Expired barrier records (pseudonyms, and whatever else was stored with an expiry) are deleted. */
    private void purgeExpired() {
        if (barrier.isSealed()) return;
        try {
            records.purgeExpired();
        } catch (RuntimeException e) {
            LOG.warning("purge of expired records failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        // null-safe: also called on a start that failed before everything existed
        if (housekeeping != null) housekeeping.shutdownNow();
        if (witnessing != null) witnessing.close();
        if (privacy != null) privacy.close();
        if (slowClients != null) slowClients.close();
        if (policies != null) policies.close();
        if (engines != null) engines.close();
        if (rag != null) rag.close();
        if (health != null) health.close();
        if (catalog != null) catalog.close();
        if (ledger != null) ledger.close();
        if (telemetry != null) telemetry.close();
        if (barrier != null) barrier.seal();
        if (changes != null) changes.close();
        if (db != null) db.close();
    }
}
