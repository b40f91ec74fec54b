package dev.bastion.identity;

import dev.bastion.pipeline.ProblemException;

/**
 * OIDC/JWT bearer tokens as an identity provider, for every issuer configured. A refused token answers 401
 * {@code invalid_token} / {@code expired_token}; a provider whose keys cannot be had answers 503
 * {@code identity_provider_unavailable} (fail closed: no token is accepted without its issuer's keys).
 */
public record JwtIdentityProvider(JwtIssuers issuers) implements IdentityProvider {

    /** Compact JWS (two dots) and JWE (four dots, refused as encrypted) — never an API key. */
    @Override
    public boolean accepts(String bearerToken) {
        if (ApiKeyService.isApiKey(bearerToken)) return false;
        int dots = 0;
        for (int i = 0; i < bearerToken.length(); i++) if (bearerToken.charAt(i) == '.') dots++;
        return dots == 2 || dots == 4;
    }

    @Override
    public Principal authenticate(String bearerToken) {
        return switch (issuers.verify(bearerToken)) {
            case JwtResult.Verified v -> v.principal();
            case JwtResult.Rejected r -> throw new ProblemException(r.problem());
        };
    }
}
