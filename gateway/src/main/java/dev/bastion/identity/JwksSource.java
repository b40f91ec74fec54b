package dev.bastion.identity;

import dev.bastion.egress.Destination;
import dev.bastion.egress.EgressHttp;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Where a JSON Web Key Set comes from. Fetches raw JSON; parsing and key checks happen in the cache. */
public interface JwksSource {

    /** The current key set document. */
    String fetch() throws IOException;

    /** For logs: where this source reads from (no secrets in it). */
    String describe();

    /** A provider's {@code jwks_uri} through the egress gate: HTTPS (or loopback HTTP), no redirects, bounded size and time. */
    static JwksSource url(EgressHttp http, URI uri, Duration timeout) {
        OidcHttp.checkScheme(uri);
        http.declare(Destination.of(OidcHttp.PURPOSE, uri));
        return new JwksSource() {
            @Override
            public String fetch() throws IOException { return OidcHttp.get(http, uri, timeout); }

            @Override
            public String describe() { return uri.toString(); }
        };
    }

    /** Throws {@link IllegalArgumentException} unless {@code uri} may be fetched: HTTPS, or plain HTTP to loopback. */
    static void checkUrl(URI uri) { OidcHttp.checkScheme(uri); }

    /**
     * The key set named by the issuer's OpenID Connect discovery document. The document is read on the first fetch
     * and again after any failed fetch (the provider may be down when Bastion starts, or may have moved its keys),
     * so an unreachable provider refuses tokens (503, fail closed) instead of keeping the server from starting.
     */
    static JwksSource discovered(EgressHttp http, String issuer, Duration timeout) {
        checkUrl(URI.create(issuer));
        // the key set may live on another host: that one must be on the egress allow-list
        http.declare(Destination.of(OidcHttp.PURPOSE, URI.create(issuer)));
        return new JwksSource() {
            private volatile URI jwks;

            @Override
            public String fetch() throws IOException {
                URI uri = jwks;
                if (uri == null) uri = OidcDiscovery.jwksUri(http, issuer, timeout);
                try {
                    String doc = OidcHttp.get(http, uri, timeout);
                    jwks = uri;
                    return doc;
                } catch (IOException e) {
                    jwks = null;
                    throw e;
                }
            }

            @Override
            public String describe() { return "discovery:" + issuer; }
        };
    }

    /** A key set file (air-gapped deployments); re-read on every fetch so rotation is a file replace. */
    static JwksSource file(Path path) {
        return new JwksSource() {
            @Override
            public String fetch() throws IOException {
                if (Files.size(path) > OidcHttp.MAX_BYTES) throw new IOException("key set file too large");
                return Files.readString(path, StandardCharsets.UTF_8);
            }

            @Override
            public String describe() { return path.toString(); }
        };
    }
}
