package dev.bastion.api;

import dev.bastion.identity.Authenticator;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.policy.Action;
import dev.bastion.policy.Authorization;
import dev.bastion.policy.Decision;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.PolicyRequest;
import dev.bastion.policy.RequestFacts;
import dev.bastion.policy.Resource;
import io.helidon.webserver.http.ServerRequest;

import java.time.Clock;
import java.util.Map;

/**
 * Authentication and permission check for Bastion's own API: every route names the action it performs
 * ({@code keys.manage}, …) and the running policy decides, exactly as it does for model requests — so least
 * privilege and separation of duties hold on both surfaces. Denials are 403 with the decision's stable code and
 * deciding rule ids.
 */
public final class AdminGuard {
    private final Authenticator authenticator;
    private final PolicyHolder policies;
    private final Clock clock;

    public AdminGuard(Authenticator authenticator, PolicyHolder policies, Clock clock) {
        this.authenticator = authenticator;
        this.policies = policies;
        this.clock = clock;
    }

    /** The caller, if authenticated and allowed to perform {@code action} on its area; a 401/403 problem otherwise. */
    public Principal require(ServerRequest request, String action) {
        Action a = Action.parse(action).orElseThrow(() -> new IllegalStateException("route names no action"));
        return require(request, a, area(a));
    }

    /** The caller, if authenticated and allowed to perform {@code action} on {@code resource}. */
    public Principal require(ServerRequest request, Action action, Resource resource) {
        Principal principal = authenticate(request);
        Decision d = decide(principal, action, resource, facts(request));
        if (!d.allowed()) throw new ProblemException(d.problem());
        return principal;
    }

    /** Only authentication; the route decides itself (for example per model alias). */
    public Principal authenticate(ServerRequest request) {
        HelidonHeaders headers = new HelidonHeaders(request.headers());
        return authenticator.authenticate(headers::all, peerCertificates(request));
    }

    public Decision decide(Principal principal, Action action, Resource resource, RequestFacts facts) {
        return policies.decide(new PolicyRequest(principal, action, resource, facts));
    }

    /**
     * What the caller declared ({@code X-Bastion-Purpose}, …; read as strictly as on model requests: a repeated or
     * malformed header is 400 {@code invalid_header}), its address, and now.
     */
    public RequestFacts facts(ServerRequest request) {
        RequestContext ctx = ContextHeaders.read(new HelidonHeaders(request.headers()));
        return new RequestFacts(ctx.purpose(), ctx.subjects(), ctx.classification(),
                Authorization.ipLiteral(request.remotePeer().host()), clock.instant(), Map.of());
    }

    /**
     * The resource an administrative action works on: its area ({@code keys:*}, {@code audit:*}, {@code policy:default},
     * the model catalogue {@code models:*} for listing).
     */
    static Resource area(Action action) {
        String wire = action.wire();
        String kind = wire.substring(0, wire.indexOf('.'));
        return switch (kind) {
            case "policy" -> Resource.admin("policy", "default");
            case "model" -> Resource.admin("models", "*");
            default -> Resource.admin(kind, "*");
        };
    }

    static java.security.cert.Certificate[] peerCertificates(ServerRequest request) {
        return request.remotePeer().tlsCertificates().orElse(null);
    }
}
