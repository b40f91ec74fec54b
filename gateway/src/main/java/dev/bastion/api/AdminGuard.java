package dev.bastion.api;

import dev.bastion.identity.Authenticator;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;
import io.helidon.webserver.http.ServerRequest;

import java.util.function.BiPredicate;

/**
 * Authentication and permission check for Bastion's own API: every route names the action it performs
 * ({@code keys.manage}, …) and the decision comes from one place.
 */
public final class AdminGuard {
    private final Authenticator authenticator;
    private final BiPredicate<Principal, String> permits;

    public AdminGuard(Authenticator authenticator, BiPredicate<Principal, String> permits) {
        this.authenticator = authenticator;
        this.permits = permits;
    }

    /** The caller, if authenticated and allowed to perform {@code action}; a 401/403 problem otherwise. */
    public Principal require(ServerRequest request, String action) {
        HelidonHeaders headers = new HelidonHeaders(request.headers());
        Principal principal = authenticator.authenticate(headers::all, peerCertificates(request));
        if (!permits.test(principal, action)) {
            throw new ProblemException(ErrorCode.PERMISSION_DENIED.problem("not permitted: " + action));
        }
        return principal;
    }

    /** Only authentication (for routes every caller may use, such as listing models). */
    public Principal authenticate(ServerRequest request) {
        HelidonHeaders headers = new HelidonHeaders(request.headers());
        return authenticator.authenticate(headers::all, peerCertificates(request));
    }

    static java.security.cert.Certificate[] peerCertificates(ServerRequest request) {
        return request.remotePeer().tlsCertificates().orElse(null);
    }
}
