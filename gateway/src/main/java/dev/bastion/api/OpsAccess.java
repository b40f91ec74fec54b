package dev.bastion.api;

import dev.bastion.pipeline.Problem;
import dev.bastion.pipeline.ProblemException;
import io.helidon.webserver.http.ServerRequest;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who may see the names in operational answers ({@code /metrics} labels, the backends listed by {@code /readyz}):
 * a caller on loopback (the host's own tooling), or an authenticated caller whom policy allows {@code ops.read}.
 * Backend and alias names map the deployment; an anonymous caller from the network does not get them.
 */
public final class OpsAccess {
    static final String ACTION = "ops.read";
    private final AdminGuard guard;

    public OpsAccess(AdminGuard guard) {
        this.guard = guard;
    }

    /** Null when the caller may see names; otherwise the 401/403 problem that says why not. */
    public Problem refusal(ServerRequest req) {
        if (isLoopback(req)) return null;
        try {
            guard.require(req, ACTION);
            return null;
        } catch (ProblemException e) {
            return e.problem();
        }
    }

    /** Whether the peer is a loopback address (the host itself); a literal, so no name lookup happens. */
    static boolean isLoopback(ServerRequest req) {
        try {
            return InetAddress.getByName(req.remotePeer().host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
