package dev.bastion.identity;

import dev.bastion.common.Secret;
import dev.bastion.pipeline.Exchange;

/**
 * A browser session (the web console's cookie) standing in for a bearer credential. The session keeps the API key
 * or access token the person signed in with; every request re-authenticates that credential through the same
 * providers as an {@code Authorization} header would, so a session never yields a principal the credential itself
 * would not (revocation, expiry and key rotation apply at once).
 */
public interface SessionCredentials {

    /**
     * The credential the request's session cookie stands for, or null when the request carries no session cookie.
     * Throws a {@code ProblemException} (401 {@code session_expired}, 403 {@code csrf_rejected}) when it carries one
     * that may not be used for this request.
     */
    Secret credential(Exchange exchange);
}
