package dev.bastion.access;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.bastion.identity.OidcProvider;
import dev.bastion.identity.Tokens;
import dev.bastion.testing.ManualClock;
import dev.bastion.testing.StandInUpstream;
import dev.bastion.testing.TestGateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A real Bastion with the shipped default policy, a real OIDC provider process (mock-oauth2-server) as trusted
 * issuer, a second issuer whose keys cannot be fetched, and keys for each built-in role. The server's clock is
 * moved by hand, so one key is genuinely expired.
 */
final class AccessFixture implements AutoCloseable {
    static final String DEAD_ISSUER = "https://idp.unreachable.example/realms/x";
    static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    final StandInUpstream upstream;
    final OidcProvider idp;
    final ManualClock clock = new ManualClock(Instant.now());
    final TestGateway gw;
    final RSAKey idpKey;
    final ECKey ecKey = Tokens.ec("ec1", Curve.P_256);
    final String admin;
    final String developer;
    final String auditor;
    final String steward;
    final String scoped;
    final String revoked;
    final String expired;
    private final HttpClient http = HttpClient.newHttpClient();

    AccessFixture(String extraYaml) throws Exception {
        upstream = new StandInUpstream();
        idp = new OidcProvider();
        idpKey = idp.keys.current;
        idp.managed = List.of(idpKey, ecKey);
        int deadPort;
        try (var s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        gw = TestGateway.start(upstream, """
                identity:
                  issuers:
                    - issuer: "%s"
                      audiences: [bastion]
                      jwks-url: "%s"
                      claims:
                        roles: [{claim: roles}]
                        attributes: {department: department}
                    - issuer: "%s"
                      audiences: [bastion]
                      jwks-url: "http://127.0.0.1:%d/jwks"
                """.formatted(idp.issuer(), idp.managedJwksUri(), DEAD_ISSUER, deadPort) + extraYaml, clock);
        admin = gw.adminKey;
        developer = gw.developerKey();
        auditor = gw.auditorKey();
        steward = gw.operatorKey("steward", "model-steward");
        scoped = gw.createKey("{\"name\":\"scoped\",\"models\":[\"same\"]}");
        revoked = gw.createKey("{\"name\":\"revoked\"}");
        String revokedId = revoked.split("_")[1];
        if (gw.send("DELETE", "/bastion/v1/keys/" + revokedId, admin, null).statusCode() != 200) {
            throw new IllegalStateException("revocation failed");
        }
        expired = gw.createKey("{\"name\":\"short-lived\",\"expires_at\":\"" + clock.instant().plus(Duration.ofHours(1)) + "\"}");
        clock.advance(Duration.ofHours(2));
    }

    /** Claims of a valid developer token at the server's current time. */
    Map<String, Object> claims() {
        return Tokens.developerClaims(idp.issuer(), clock.instant().getEpochSecond());
    }

    Map<String, Object> claimsWith(String name, Object value) {
        var c = claims();
        if (value == null) c.remove(name);
        else c.put(name, value);
        return c;
    }

    /** Signed by the provider's real key, under its kid. */
    String token(Map<String, Object> claims) {
        return Tokens.mint(Tokens.header("RS256", idpKey.getKeyID()), claims, Tokens.rs256(idpKey));
    }

    HttpResponse<String> send(String method, String path, String credential, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (credential != null) b.header("Authorization", "Bearer " + credential);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> chat(String credential, String body, String... headers) throws IOException, InterruptedException {
        return send("POST", "/v1/chat/completions", credential, body, headers);
    }

    static String chatFor(String model) {
        return CHAT.replace("\"chat\"", com.fasterxml.jackson.databind.node.TextNode.valueOf(model).toString());
    }

    @Override
    public void close() {
        gw.close();
        idp.close();
        upstream.close();
    }
}
