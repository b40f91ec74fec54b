package dev.bastion.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.OAuth2HttpRouterKt;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OIDC provider process for tests: mock-oauth2-server listening on a loopback port, signing with a key the
 * test can rotate. Besides the provider's own {@code /default/jwks} (which publishes only the current signing key),
 * it serves {@code /managed/jwks} whose key list the test sets, to model providers that publish old and new keys
 * side by side during a rotation, and that can be switched to fail.
 */
public final class OidcProvider implements AutoCloseable {
    public static final String ISSUER_ID = "default";

    /** Signs with whatever key is current; the provider's JWKS publishes exactly that key. */
    public static final class RotatingKeys extends KeyProvider {
        public volatile RSAKey current;

        RotatingKeys(RSAKey initial) { this.current = initial; }

        @Override
        public JWK signingKey(String issuerId) { return current; }
    }

    public final RotatingKeys keys;
    public final MockOAuth2Server server;
    public volatile List<JWK> managed = List.of();
    public volatile int managedStatus = 200;
    public final AtomicInteger managedFetches = new AtomicInteger();

    public OidcProvider() throws Exception {
        keys = new RotatingKeys(Tokens.rsa("k1"));
        var config = new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys));
        var managedRoute = OAuth2HttpRouterKt.get("/managed/jwks", request -> {
            managedFetches.incrementAndGet();
            String body = Tokens.jwks(managed.toArray(JWK[]::new));
            return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), managedStatus,
                    managedStatus == 200 ? body : "{}", null);
        });
        server = new MockOAuth2Server(config, managedRoute);
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    public String issuer() { return server.issuerUrl(ISSUER_ID).toString(); }

    /** An egress client that may reach this provider (localhost and its port) and nothing else. */
    public dev.bastion.egress.EgressHttp http() {
        var gate = new dev.bastion.egress.EgressGate(dev.bastion.egress.EgressGate.Mode.ALLOW_LIST,
                List.of(new dev.bastion.egress.AllowEntry.Host(server.baseUrl().host(), server.baseUrl().port())),
                dev.bastion.egress.Resolver.SYSTEM);
        return new dev.bastion.egress.EgressHttp(gate);
    }

    public URI jwksUri() { return URI.create(server.jwksUrl(ISSUER_ID).toString()); }

    public URI managedJwksUri() { return URI.create(server.baseUrl().resolve("/managed/jwks").toString()); }

    /** A token from the provider's own issuing code, signed with the current key. */
    public String issue(String subject, String audience, Map<String, Object> claims) {
        return server.issueToken(ISSUER_ID, subject, audience, claims, 3600).serialize();
    }

    /** The OAuth 2.0 client-credentials grant over HTTP, as a workload would get its token. */
    public String clientCredentials(String clientId, String scope) throws Exception {
        var body = "grant_type=client_credentials&client_id=" + clientId + "&client_secret=s&scope=" + scope;
        var resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.tokenEndpointUrl(ISSUER_ID).toString()))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) throw new IllegalStateException("token endpoint answered " + resp.statusCode());
        return (String) com.nimbusds.jose.util.JSONObjectUtils.parse(resp.body()).get("access_token");
    }

    @Override
    public void close() { server.shutdown(); }
}
