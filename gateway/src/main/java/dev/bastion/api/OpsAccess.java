package dev.bastion.api;

import dev.bastion.identity.Authenticator;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.ProblemException;
import dev.bastion.policy.Action;
import dev.bastion.policy.Authorization;
import dev.bastion.policy.Decision;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.PolicyRequest;
import dev.bastion.policy.RequestFacts;
import dev.bastion.policy.Resource;
import io.helidon.webserver.http.ServerRequest;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Who may see the backend names {@code /readyz} lists (it answers everyone, and refuses no one):
 * a caller on loopback (the host's own tooling), or an authenticated caller whom policy allows {@code ops.read}.
 * Backend and alias names map the deployment; an anonymous caller from the network does not get them. (These routes
 * answer while sealed and without credentials. {@code /metrics}, which refuses, takes the same decision in the
 * request chain — {@link AdminRoutes#operational} — so its refusals are audited.)
 */
public final class OpsAccess {
    private final Authenticator authenticator;
    private final PolicyHolder policies;
    private final Clock clock;

    public OpsAccess(Authenticator authenticator, PolicyHolder policies, Clock clock) {
        this.authenticator = authenticator;
        this.policies = policies;
        this.clock = clock;
    }

    /** Null when the caller may see names; otherwise the 401/403 problem that says why not. */
    public Problem refusal(ServerRequest req) {
        if (AdminCall.isLoopback(req)) return null;
        String ip = req.remotePeer().address() instanceof InetSocketAddress a && a.getAddress() != null
                ? Authorization.ipLiteral(a.getAddress().getHostAddress()) : "";
        try {
            Principal p = authenticator.authenticate(new HelidonHeaders(req.headers())::all,
                    req.remotePeer().tlsCertificates().orElse(null));
            RequestFacts facts = new RequestFacts("", List.of(), "", ip, clock.instant(), Map.of());
            Decision d = policies.decide(new PolicyRequest(p, Action.OPS_READ, Resource.admin("ops", "*"), facts));
            return d.allowed() ? null : d.problem();
        } catch (ProblemException e) {
            return e.problem();
        }
    }
}
