package dev.bastion.server;

import dev.bastion.attest.BackendAttestation;
import dev.bastion.audit.Actor;
import dev.bastion.governance.Verdict;
import dev.bastion.audit.AuditFacts;
import dev.bastion.audit.ModelRoute;
import dev.bastion.audit.PolicyDecision;
import dev.bastion.audit.SentBody;
import dev.bastion.inspect.Transformed;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.policy.ConsentFacts;
import dev.bastion.policy.Decision;
import dev.bastion.policy.EntityAction;
import dev.bastion.policy.Obligations;
import dev.bastion.route.PrepareStage;
import dev.bastion.route.Route;
import dev.bastion.route.Served;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What the audit stages record, read from the keys the other stages filled in. Values the caller controls (model
 * name, declared purpose and classification) are recorded only once checked against what exists — the catalogue,
 * the policy's registries — and as a marker otherwise, so nothing a caller types is made permanent by a refusal.
 */
public final class ExchangeAuditFacts implements AuditFacts {
    /** A declared purpose or classification the policy does not know. */
    static final String UNREGISTERED = "?unregistered";

    private final java.util.function.Function<String, Route> catalog;
    private final java.util.function.Supplier<dev.bastion.policy.Policy> policy;

    /**
     * The facts as recorded where no model is routed (the offline CLI's admin chain): the same decision, purpose and
     * classification fields as the server's admin routes.
     */
    public static AuditFacts withoutModels(java.util.function.Supplier<dev.bastion.policy.Policy> policy) {
        return new ExchangeAuditFacts(alias -> null, policy);
    }

    ExchangeAuditFacts(java.util.function.Function<String, Route> catalog,
                       java.util.function.Supplier<dev.bastion.policy.Policy> policy) {
        this.catalog = catalog;
        this.policy = policy;
    }

    @Override
    public Actor principal(Exchange exchange) {
        Principal p = exchange.get(Principal.class);
        return p == null ? null : Actor.of(p);
    }

    @Override
    public java.util.Map<String, ? extends Number> inputFindings(Exchange exchange) {
        return Transformed.inputCounts(exchange);
    }

    /** The exact bodies the prepare stage made, one per backend the request may go to. */
    @Override
    public List<SentBody> sent(Exchange exchange) {
        PrepareStage.Forward forward = exchange.get(PrepareStage.Forward.class);
        if (forward == null) return List.of();
        List<SentBody> out = new ArrayList<>();
        forward.calls().forEach((backend, call) -> out.add(SentBody.of(backend, call.body())));
        return out;
    }

    /** What the answer filter found in the answer that left (the complete record's findings). */
    @Override
    public java.util.Map<String, ? extends Number> outputFindings(Exchange exchange) {
        return Transformed.outputCounts(exchange);
    }

    @Override
    public String servedBackend(Exchange exchange) {
        Served s = exchange.get(Served.class);
        return s == null ? null : s.backend();
    }

    @Override
    public int fallbacks(Exchange exchange) {
        Served s = exchange.get(Served.class);
        return s == null ? 0 : s.fallbacks();
    }

    @Override
    public ModelRoute route(Exchange exchange) {
        Route r = exchange.get(Route.class);
        ModelRequest request = exchange.get(ModelRequest.class);
        if (r == null && request != null) r = catalog.apply(request.model());
        if (r != null) {
            // which model answered: the digest (or expected identity) of the registry entry the route resolved to
            Verdict verdict = exchange.get(Verdict.class);
            String digest = verdict != null && verdict.artifactDigest() != null ? verdict.artifactDigest()
                    : r.backendAttributes().get("model_sha256");
            // and which attested machine: the evidence digest of the serving backend's attestation, if any
            BackendAttestation attested = exchange.get(BackendAttestation.class);
            return new ModelRoute(r.alias(), r.upstreamModel(), r.backendName(), digest,
                    attested == null ? null : attested.evidenceDigest());
        }
        return request == null ? null : ModelRoute.UNKNOWN;
    }

    @Override
    public String purpose(Exchange exchange) {
        RequestContext ctx = exchange.get(RequestContext.class);
        String p = ctx == null ? null : ctx.purpose();
        return p == null ? null : policy.get().purposes().contains(p) ? p : UNREGISTERED;
    }

    @Override
    public String classification(Exchange exchange) {
        RequestContext ctx = exchange.get(RequestContext.class);
        String c = ctx == null ? null : ctx.classification();
        return c == null ? null : policy.get().classificationLabels().contains(c) ? c : UNREGISTERED;
    }

    /**
     * The policy decision as audited: effect ({@code permit}; {@code forbid} when a forbid rule decided or a condition
     * could not be evaluated; {@code deny} for default deny, purpose and scope denials), the deciding rule ids then
     * the obligating ones, and the obligations as tokens ({@code mask:EMAIL_ADDRESS}, {@code route:region=eu-west},
     * {@code max_tokens:512}). Items an audit field cannot hold are left out rather than failing the record.
     */
    /** Tokens only: the consent stage records its facts in the same step that replaces the ids with tokens. */
    @Override
    public List<String> subjectTokens(Exchange exchange) {
        RequestContext ctx = exchange.get(RequestContext.class);
        return ctx == null || exchange.get(ConsentFacts.class) == null ? List.of() : ctx.subjects();
    }

    @Override
    public PolicyDecision decision(Exchange exchange) {
        Decision d = exchange.get(Decision.class);
        if (d == null) return null;
        String effect = switch (d.reason()) {
            case ALLOWED -> "permit";
            case FORBIDDEN, EVALUATION_ERROR, CONSENT_MISSING -> "forbid";
            default -> "deny";
        };
        LinkedHashSet<String> rules = new LinkedHashSet<>(d.ruleIds());
        rules.addAll(d.obligationRuleIds());
        return new PolicyDecision(effect, fit(rules), fit(obligationTokens(d.obligations())));
    }

    static List<String> obligationTokens(Obligations o) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, EntityAction> e : o.entities().entrySet()) {
            out.add(e.getValue().name().toLowerCase(java.util.Locale.ROOT) + ":" + e.getKey());
        }
        if (o.allowedRegions() != null) {
            if (o.allowedRegions().isEmpty()) out.add("route:region=none");
            for (String region : o.allowedRegions()) out.add("route:region=" + region);
        }
        if (o.maxTokens() > 0) out.add("max_tokens:" + o.maxTokens());
        if (o.reidentify() != Obligations.Reidentify.UNSET) out.add("reidentify:" + o.reidentifyAllowed());
        if (o.injection() != Obligations.Injection.NONE) {
            out.add("prompt_injection:" + o.injection().name().toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    /** Audit tokens: 1..128 printable ASCII characters without spaces, at most 64 of them. */
    private static List<String> fit(Collection<String> items) {
        List<String> out = new ArrayList<>();
        for (String s : items) {
            if (out.size() == 64) break;
            if (!s.isEmpty() && s.length() <= 128 && s.chars().allMatch(c -> c > 0x20 && c < 0x7F)) out.add(s);
        }
        return out;
    }
}
