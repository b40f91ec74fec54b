package dev.bastion.server;

import dev.bastion.api.AdminChains;
import dev.bastion.api.HostOrAuthorized;
import dev.bastion.api.ContextStage;
import dev.bastion.api.JsonBodies;
import dev.bastion.api.ParseStage;
import dev.bastion.audit.AdminAuditStage;
import dev.bastion.audit.AdminLog;
import dev.bastion.audit.AuditStage;
import dev.bastion.audit.LedgerRef;
import dev.bastion.audit.RefusalAuditStage;
import dev.bastion.barrier.Barrier;
import dev.bastion.barrier.SealGate;
import dev.bastion.config.BastionConfig;
import dev.bastion.governance.RegistryStages;
import dev.bastion.identity.AuthenticateStage;
import dev.bastion.identity.Authenticator;
import dev.bastion.inspect.InspectStage;
import dev.bastion.inspect.Inspector;
import dev.bastion.inspect.PseudonymVault;
import dev.bastion.inspect.RequestGuard;
import dev.bastion.inspect.TransformStage;
import dev.bastion.inspect.Transformed;
import dev.bastion.ops.GatewayMetrics;
import dev.bastion.ops.ObserveStage;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.Pipeline;
import dev.bastion.pipeline.Stage;
import dev.bastion.pipeline.StageObserver;
import dev.bastion.pipeline.Terminal;
import dev.bastion.policy.AuthorizeStage;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.route.ForwardTerminal;
import dev.bastion.route.ModelCatalog;
import dev.bastion.quota.QuotaService;
import dev.bastion.quota.QuotaStage;
import dev.bastion.route.Eligibility;
import dev.bastion.policy.Resource;
import dev.bastion.route.Route;
import dev.bastion.route.PrepareStage;
import dev.bastion.route.RouteStage;
import dev.bastion.route.SelectStage;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The order of stages of every request Bastion serves, in one place. Model and admin routes share one front —
 * seal gate → refusal audit → authenticate → context → … → authorize — so every route is sealed, authenticated,
 * decided by policy for its action, and every refusal (401, 403, 4xx) is audited, by construction:
 * <pre>
 * model:  observe, telemetry, seal-gate, audit-refusals, authenticate, context, parse, route, retrieve, inspect,
 *         consent, select, registry, authorize, registry-gate, transform, evaluation-capture, quota, prepare (the
 *         exact bytes for every planned backend; the request is frozen), audit (accept, describing them) →
 *         ForwardTerminal
 * admin:  seal-gate, audit-refusals, authenticate, context, authorize, [admin-audit] → the route's handler
 * open:   audit-refusals → handler (only the barrier's status, init and unseal: they must answer while sealed)
 * ops:    audit-refusals, host-or-authorized (loopback, or authenticate + authorize) → handler (/metrics)
 * </pre>
 */
final class RequestChains implements AdminChains {
    private final Stage sealGate;
    private final Stage refusals;
    private final Stage authenticate;
    private final Stage context = new ContextStage();
    private final Stage authorizeAdmin;
    private final AdminLog adminLog;
    private final ExchangeAuditFacts facts;
    /** Sees every stage of every route (tracing), or null when tracing is off. */
    private final StageObserver tracer;
    final Pipeline model;

    RequestChains(BastionConfig config, Clock clock, Barrier barrier, LedgerRef ledger, Authenticator authenticator,
                  PolicyHolder policies, ModelCatalog catalog, GatewayMetrics metrics, JsonBodies json,
                  InspectionSetup inspection, PseudonymVault vault, AuditStage.AcceptTimer acceptTimer,
                  RegistryStages registry, Function<Route, Resource> candidateResource,
                  List<Eligibility> routingChecks, Stage attestation, QuotaService quotas,
                  int quotaDefaultMaxTokens, Stage telemetry, StageObserver tracer,
                  Stage consent, Stage retrieve) {
        Inspector inspector = inspection.inspector();
        this.facts = new ExchangeAuditFacts(catalog::find, policies::current);
        this.tracer = tracer;
        this.sealGate = new SealGate(barrier);
        this.refusals = new RefusalAuditStage(ledger, facts, clock);
        this.authenticate = new AuthenticateStage(authenticator);
        this.authorizeAdmin = new AuthorizeStage(policies);
        this.adminLog = new AdminLog(ledger, clock);
        RequestGuard guard = new RequestGuard(inspector, InspectionPolicy.MIN_SCORE, inspection.untrusted());
        this.model = new Pipeline(List.of(
                new ObserveStage(metrics, catalog),
                telemetry,
                sealGate,
                refusals,
                authenticate,
                context,
                new ParseStage(json, config.limits(), config.server().maxBodyBytes()),
                new RouteStage(catalog),
                retrieve, // retrieved passages join the request before inspection sees it
                new InspectStage(guard),
                consent, // X-Bastion-Subject ids become tokens here; policy (select, authorize) reads request.consent
                new SelectStage(catalog, eligibility(policies, candidateResource, routingChecks)),
                registry.lookup(), // after select: the verdict of the backend selected
                attestation,       // and its attestation: a fact for policy and the accept record
                new AuthorizeStage(policies, Transformed::inputCounts),
                registry.gate(),
                new TransformStage(guard, inspector, vault, InspectionPolicy::forExchange,
                        config.limits().inspectionWindow(), inspection.spotlighter()),
                registry.capture(),
                new QuotaStage(quotas, quotaDefaultMaxTokens),
                new PrepareStage(),
                new AuditStage(ledger, facts, clock, acceptTimer)),
                new ForwardTerminal(catalog), tracer);
    }

    /** The request's policy decision for each backend first, then what other capabilities plug in. */
    private static List<Eligibility> eligibility(PolicyHolder policies, Function<Route, Resource> candidateResource,
                                                 List<Eligibility> others) {
        List<Eligibility> checks = new ArrayList<>();
        checks.add(new PolicyEligibility(policies, Transformed::inputCounts, candidateResource));
        checks.addAll(others);
        return checks;
    }

    /** Who writes admin records outside a chain (barrier init and unseal, policy file reloads). */
    AdminLog adminLog() { return adminLog; }

    @Override
    public Pipeline secured(String auditEvent, Function<Exchange, String> target, Terminal handler) {
        List<Stage> stages = new ArrayList<>(List.of(sealGate, refusals, authenticate, context, authorizeAdmin));
        if (auditEvent != null) stages.add(new AdminAuditStage(adminLog, facts, auditEvent, target));
        return new Pipeline(stages, handler, tracer);
    }

    @Override
    public Pipeline withoutCredentials(Terminal handler) {
        return new Pipeline(List.of(refusals), handler, tracer);
    }

    @Override
    public Pipeline operational(Terminal handler) {
        return new Pipeline(List.of(refusals, new HostOrAuthorized(List.of(authenticate, authorizeAdmin))), handler,
                tracer);
    }
}
