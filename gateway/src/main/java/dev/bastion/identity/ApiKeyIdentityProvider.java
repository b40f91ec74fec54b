package dev.bastion.identity;

/** Bastion's own API keys ({@code bst_…}) as an identity provider. */
public record ApiKeyIdentityProvider(ApiKeyService keys) implements IdentityProvider {

    @Override
    public boolean accepts(String bearerToken) { return ApiKeyService.isApiKey(bearerToken); }

    @Override
    public Principal authenticate(String bearerToken) { return keys.authenticate(bearerToken); }
}
