package dev.bastion.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.audit.Actor;
import dev.bastion.audit.AdminLog;
import dev.bastion.barrier.Barrier;
import dev.bastion.common.Secret;
import dev.bastion.identity.Authenticator;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ProblemException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Signing in and out. These routes run before anyone is authenticated, so they are not routes of the admin chain:
 * each checks its own ground (the sign-in flow cookie, the session's CSRF token) and records its outcome in the
 * audit log ({@code console.signin}, {@code console.signout}). A flow cookie (sealed by the barrier, ten minutes,
 * SameSite=Lax so that it survives the provider's redirect back) binds the API-key form and the OIDC state and PKCE
 * verifier to the browser that started them.
 */
final class SignInRoutes {
    private static final Logger LOG = Logger.getLogger(SignInRoutes.class.getName());
    static final String FLOW_COOKIE = "__Host-bastion-signin";
    private static final Duration FLOW_TTL = Duration.ofMinutes(10);
    private static final int MAX_FORM = 16 * 1024;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9a-fA-F:.]+](:[0-9]{1,5})?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sessions sessions;
    private final Authenticator authenticator;
    private final Barrier barrier;
    private final OidcSignIn oidc;
    private final AdminLog audit;
    private final Clock clock;
    private final String scheme;
    private final URI publicUrl;

    SignInRoutes(Sessions sessions, Authenticator authenticator, Barrier barrier, OidcSignIn oidc, AdminLog audit,
                 Clock clock, String scheme, URI publicUrl) {
        this.sessions = sessions;
        this.authenticator = authenticator;
        this.barrier = barrier;
        this.oidc = oidc;
        this.audit = audit;
        this.clock = clock;
        this.scheme = scheme;
        this.publicUrl = publicUrl;
    }

    void register(HttpRouting.Builder routing) {
        routing.get("/console", (req, res) -> redirect(res, Status.MOVED_PERMANENTLY_301, "/console/"));
        routing.get("/console/login", (req, res) -> loginPage(res, null, 200));
        routing.post("/console/login/key", this::keySignIn);
        routing.get("/console/login/oidc", this::oidcStart);
        routing.get("/console/callback", this::callback);
        routing.post("/console/logout", this::logout);
    }

    private void loginPage(ServerResponse res, String error, int status) {
        if (barrier.isSealed()) {
            send(res, 503, SignInPages.sealed());
            return;
        }
        String form = sessions.token();
        setCookie(res, flowCookie(Map.of("form", form)));
        send(res, status, SignInPages.login(form, oidc == null ? null : oidc.issuer(), error));
    }

    private void keySignIn(ServerRequest req, ServerResponse res) {
        String requestId = dev.bastion.api.RequestIds.next();
        Map<String, String> form = form(req);
        Map<String, String> flow = flow(req);
        if (flow == null || !same(flow.get("form"), form.get("flow"))) {
            loginPage(res, "The sign-in form expired or came from elsewhere: try again.", 400);
            return;
        }
        String key = form.getOrDefault("key", "").strip();
        Principal p;
        try {
            if (key.isEmpty() || key.length() > 4096) throw new ProblemException(dev.bastion.pipeline.ErrorCode.INVALID_CREDENTIALS, "no key");
            p = authenticator.authenticateBearer(key);
        } catch (ProblemException e) {
            record(requestId, null, "console.signin", "rejected");
            loginPage(res, "That API key was not accepted.", 401);
            return;
        }
        start(res, requestId, p, new Secret(key), "api_key", null);
    }

    private void oidcStart(ServerRequest req, ServerResponse res) {
        if (oidc == null || barrier.isSealed()) {
            loginPage(res, "Sign-in with an identity provider is not configured.", 404);
            return;
        }
        String state = sessions.token();
        String verifier = sessions.token();
        String redirectUri = redirectUri(req);
        try {
            URI to = oidc.authorizationUrl(state, verifier, redirectUri);
            setCookie(res, flowCookie(Map.of("state", state, "verifier", verifier, "redirect", redirectUri)));
            redirect(res, Status.FOUND_302, to.toString());
        } catch (IOException | RuntimeException e) {
            LOG.warning("console sign-in: the identity provider cannot be reached (" + e.getClass().getSimpleName() + ")");
            loginPage(res, "The identity provider cannot be reached right now.", 503);
        }
    }

    private void callback(ServerRequest req, ServerResponse res) {
        String requestId = dev.bastion.api.RequestIds.next();
        Map<String, String> flow = flow(req);
        String state = req.query().first("state").orElse("");
        String code = req.query().first("code").orElse("");
        if (oidc == null || flow == null || flow.get("state") == null || !same(flow.get("state"), state) || code.isEmpty()
                || code.length() > 4096) {
            record(requestId, null, "console.signin", "rejected");
            loginPage(res, "Sign-in did not complete (it expired, was refused, or was not started here).", 400);
            return;
        }
        try {
            OidcSignIn.Tokens tokens = oidc.redeem(code, flow.get("verifier"), flow.get("redirect"), clock.instant());
            Principal p = authenticator.authenticateBearer(tokens.accessToken().value());
            start(res, requestId, p, tokens.accessToken(), "oidc", tokens.expiresAt());
        } catch (IOException | ProblemException e) {
            LOG.warning("console sign-in refused: " + e.getClass().getSimpleName());
            record(requestId, null, "console.signin", "rejected");
            loginPage(res, "The identity provider's answer was not accepted.", 400);
        }
    }

    /** Opens the session. The answer is a page that moves on to the console itself: after a redirect from another
     * site the browser would not send a SameSite=Strict cookie, after a navigation from this page it does. */
    private void start(ServerResponse res, String requestId, Principal p, Secret credential, String kind, Instant ends) {
        Sessions.Opened s = sessions.open(credential, kind, ends);
        record(requestId, p, "console.signin", "succeeded");
        long maxAge = Math.max(1, Duration.between(clock.instant(), s.expiresAt()).toSeconds());
        setCookie(res, Sessions.COOKIE + "=" + s.cookie().value() + "; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=" + maxAge);
        setCookie(res, FLOW_COOKIE + "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0");
        send(res, 200, SignInPages.signedIn());
    }

    private void logout(ServerRequest req, ServerResponse res) {
        String requestId = dev.bastion.api.RequestIds.next();
        Map<String, String> form = form(req);
        String cookie = Sessions.cookie(req.headers().all(HeaderNames.COOKIE, List::of), Sessions.COOKIE).orElse(null);
        if (cookie != null && sessions.endByForm(cookie, form.getOrDefault("csrf", ""))) {
            record(requestId, null, "console.signout", "succeeded");
        }
        setCookie(res, Sessions.COOKIE + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
        redirect(res, Status.SEE_OTHER_303, "/console/login");
    }

    private String redirectUri(ServerRequest req) {
        if (publicUrl != null) return publicUrl + "/console/callback";
        String host = req.headers().first(HeaderNames.HOST).orElse("");
        if (!HOST.matcher(host).matches()) throw new ProblemException(dev.bastion.pipeline.ErrorCode.INVALID_HEADER.problem("bad Host header"));
        return scheme + "://" + host + "/console/callback";
    }

    private String flowCookie(Map<String, String> values) {
        Map<String, String> v = new HashMap<>(values);
        v.put("exp", Long.toString(clock.instant().plus(FLOW_TTL).getEpochSecond()));
        try {
            byte[] sealed = barrier.encrypt("console/signin", JSON.writeValueAsBytes(v));
            return FLOW_COOKIE + "=" + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed)
                    + "; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=" + FLOW_TTL.toSeconds();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The flow this browser started, or null when it has none, it was tampered with, or it expired. */
    private Map<String, String> flow(ServerRequest req) {
        String raw = Sessions.cookie(req.headers().all(HeaderNames.COOKIE, List::of), FLOW_COOKIE).orElse(null);
        if (raw == null || raw.isEmpty() || raw.length() > 4096 || barrier.isSealed()) return null;
        try {
            JsonNode n = JSON.readTree(barrier.decrypt("console/signin", Base64.getUrlDecoder().decode(raw)));
            if (clock.instant().getEpochSecond() > n.path("exp").asLong(0)) return null;
            Map<String, String> out = new HashMap<>();
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Map<String, String> form(ServerRequest req) {
        Map<String, String> out = new HashMap<>();
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes(MAX_FORM + 1);
            if (body.length > MAX_FORM) return out;
            for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) continue;
                out.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        } catch (IOException | IllegalArgumentException e) {
            out.clear();
        }
        return out;
    }

    private void record(String requestId, Principal p, String action, String outcome) {
        Actor actor = p == null ? Actor.of("anonymous", List.of(), "none") : Actor.of(p);
        if (!barrier.isSealed()) audit.afterTheFact(requestId, actor, null, action, "console", null, outcome);
    }

    private static boolean same(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static void setCookie(ServerResponse res, String value) {
        res.headers().add(HeaderValues.create(HeaderNames.SET_COOKIE, value));
    }

    private static void redirect(ServerResponse res, Status status, String location) {
        Html.SECURITY_HEADERS.forEach((k, v) -> res.header(HeaderNames.create(k), v));
        res.status(status).header(HeaderNames.LOCATION, location).header(HeaderNames.CACHE_CONTROL, "no-store").send();
    }

    private static void send(ServerResponse res, int status, String html) {
        var reply = Html.reply(status, html);
        reply.headers().forEach((k, v) -> res.header(HeaderNames.create(k), v));
        res.status(Status.create(status)).header(HeaderNames.CONTENT_TYPE, reply.contentType()).send(reply.body());
    }
}
