package dev.bastion.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.common.Secret;
import dev.bastion.config.ConsoleSettings;
import dev.bastion.egress.Destination;
import dev.bastion.egress.EgressHttp;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The OAuth 2.0 authorization code flow with PKCE (S256) against the configured OpenID Connect provider, every call
 * through the egress gate. The access token it returns is the session's credential: it is verified exactly as an
 * API bearer token (issuer, audience, signature, expiry, claim mapping) on sign-in and on every request after.
 */
final class OidcSignIn {
    static final String PURPOSE = "console:oidc";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConsoleSettings.Oidc settings;
    private final EgressHttp http;
    private volatile Endpoints endpoints;

    record Endpoints(URI authorization, URI token) {}

    /** What the token endpoint answered that the console keeps. */
    record Tokens(Secret accessToken, Instant expiresAt) {}

    OidcSignIn(ConsoleSettings.Oidc settings, EgressHttp http) {
        this.settings = settings;
        this.http = http;
        http.declare(Destination.of(PURPOSE, URI.create(settings.issuer())));
    }

    String issuer() { return settings.issuer(); }

    /** Where to send the browser: the provider's authorization endpoint with this flow's state and challenge. */
    URI authorizationUrl(String state, String verifier, String redirectUri) throws IOException {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", settings.clientId());
        q.put("redirect_uri", redirectUri);
        q.put("scope", String.join(" ", settings.scopes()));
        q.put("state", state);
        q.put("code_challenge", challenge(verifier));
        q.put("code_challenge_method", "S256");
        URI base = endpoints().authorization();
        return URI.create(base + (base.getRawQuery() == null ? "?" : "&") + form(q));
    }

    /** Exchanges the code (bound to this flow by {@code verifier}) for tokens. */
    Tokens redeem(String code, String verifier, String redirectUri, Instant now) throws IOException {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "authorization_code");
        f.put("code", code);
        f.put("redirect_uri", redirectUri);
        f.put("client_id", settings.clientId());
        f.put("code_verifier", verifier);
        if (settings.clientSecret().present()) f.put("client_secret", settings.clientSecret().value());
        var request = new EgressHttp.Request(PURPOSE, "POST", endpoints().token(),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"),
                form(f).getBytes(StandardCharsets.US_ASCII), TIMEOUT, null);
        EgressHttp.Response r = http.send(request, MAX_BYTES);
        if (r.status() != 200) throw new IOException("token endpoint answered " + r.status());
        JsonNode body = JSON.readTree(r.body());
        String access = body.path("access_token").asText("");
        if (access.isEmpty() || !"bearer".equalsIgnoreCase(body.path("token_type").asText("bearer"))) {
            throw new IOException("token endpoint sent no bearer access token");
        }
        long expiresIn = body.path("expires_in").asLong(3600);
        return new Tokens(new Secret(access), now.plusSeconds(Math.max(1, Math.min(expiresIn, 86_400))));
    }

    private Endpoints endpoints() throws IOException {
        Endpoints e = endpoints;
        if (e != null) return e;
        String base = settings.issuer().endsWith("/") ? settings.issuer().substring(0, settings.issuer().length() - 1)
                : settings.issuer();
        var r = http.send(EgressHttp.Request.get(PURPOSE, URI.create(base + "/.well-known/openid-configuration"), TIMEOUT)
                .withHeader("Accept", "application/json"), MAX_BYTES);
        if (r.status() != 200) throw new IOException("discovery answered " + r.status());
        JsonNode doc = JSON.readTree(r.body());
        if (!settings.issuer().equals(doc.path("issuer").asText())) throw new IOException("discovery names another issuer");
        URI authorization = https(doc.path("authorization_endpoint").asText(""));
        URI token = https(doc.path("token_endpoint").asText(""));
        http.declare(Destination.of(PURPOSE, token));
        e = new Endpoints(authorization, token);
        endpoints = e;
        return e;
    }

    private static URI https(String s) throws IOException {
        try {
            URI u = new URI(s);
            boolean loopback = u.getHost() != null && (u.getHost().equals("localhost") || u.getHost().startsWith("127.")
                    || u.getHost().equals("[::1]"));
            if ("https".equals(u.getScheme()) || ("http".equals(u.getScheme()) && loopback)) return u;
        } catch (java.net.URISyntaxException ignored) {
            // refused below
        }
        throw new IOException("provider endpoints must be https (http only on loopback)");
    }

    static String challenge(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
