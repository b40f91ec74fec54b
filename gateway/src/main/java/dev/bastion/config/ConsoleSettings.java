package dev.bastion.config;

import dev.bastion.common.Secret;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The web console ({@code console:}): served at {@code /console/} by Bastion itself.
 *
 * @param enabled          whether {@code /console/} is served at all
 * @param oidc             sign-in with an OpenID Connect provider (authorization code + PKCE), or null: API keys only
 * @param sessionTtl       a session's lifetime from sign-in (also capped by the access token's {@code exp})
 * @param idleTimeout      a session unused this long ends
 * @param auditVerifierKey the C2SP verifier key browsers check checkpoints with, or null: the log's own key is shown,
 *                         labelled as coming from the server (not an independent check)
 * @param publicUrl        the console's external base ({@code https://bastion.example.com}), or null: taken from the
 *                         request's Host header and the listener's scheme
 */
public record ConsoleSettings(boolean enabled, Oidc oidc, Duration sessionTtl, Duration idleTimeout,
                              String auditVerifierKey, URI publicUrl) {

    public static final ConsoleSettings DEFAULTS =
            new ConsoleSettings(true, null, Duration.ofHours(8), Duration.ofHours(1), null, null);

    /**
     * @param issuer       one of {@code identity.issuers}: the access token the provider returns is verified exactly
     *                     as an API bearer token is, so the console's principal is the API's principal
     * @param clientId     the console's client id at the provider
     * @param clientSecret for a confidential client; PKCE is used either way
     * @param scopes       requested scopes ({@code openid} is always included)
     */
    public record Oidc(String issuer, String clientId, Secret clientSecret, List<String> scopes) {
        public Oidc {
            scopes = List.copyOf(scopes);
        }
    }
}
