package dev.bastion.config;

import dev.bastion.identity.JwtConfig;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Trusted OIDC/JWT issuers ({@code identity:} in {@code bastion.yaml}); empty: bearer JWTs are not accepted, only
 * API keys and client certificates.
 */
public record IdentitySettings(List<Issuer> issuers) {
    public static final IdentitySettings NONE = new IdentitySettings(List.of());

    public IdentitySettings {
        issuers = List.copyOf(issuers);
    }

    /** One issuer: how its tokens are checked and where its signing keys come from. */
    public record Issuer(JwtConfig jwt, Jwks jwks) {}

    /** Where an issuer's key set is read. */
    public sealed interface Jwks {
        /** A fixed {@code jwks_uri} (HTTPS, or HTTP on loopback). */
        record Url(URI uri) implements Jwks {}

        /** A key set file, re-read on every refresh (air-gapped deployments). */
        record File(Path path) implements Jwks {}

        /** {@code <issuer>/.well-known/openid-configuration}, resolved on first use and again after failures. */
        record Discovery() implements Jwks {}
    }
}
