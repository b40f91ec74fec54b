package dev.bastion.identity;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.bastion.egress.EgressHttp;

import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;

/** OpenID Connect discovery: the {@code jwks_uri} of an issuer, checked against that issuer. */
public final class OidcDiscovery {
    private OidcDiscovery() {}

    /**
     * Reads {@code <issuer>/.well-known/openid-configuration}. The document's {@code issuer} must equal
     * {@code issuer} exactly (OpenID Connect Discovery §4.3), so a look-alike provider cannot lend its keys. The
     * {@code jwks_uri} it names is fetched through the egress gate like any other destination: a host the
     * configuration does not declare or allow is refused.
     */
    public static URI jwksUri(EgressHttp http, String issuer, Duration timeout) throws IOException {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        String json = OidcHttp.get(http, URI.create(base + "/.well-known/openid-configuration"), timeout);
        try {
            var doc = JSONObjectUtils.parse(json);
            String declared = JSONObjectUtils.getString(doc, "issuer");
            if (!issuer.equals(declared)) throw new IOException("discovery document names another issuer");
            String jwks = JSONObjectUtils.getString(doc, "jwks_uri");
            if (jwks == null) throw new IOException("discovery document has no jwks_uri");
            URI uri = URI.create(jwks);
            OidcHttp.checkScheme(uri);
            return uri;
        } catch (ParseException | IllegalArgumentException e) {
            throw new IOException("discovery document is not valid: " + e.getClass().getSimpleName());
        }
    }
}
