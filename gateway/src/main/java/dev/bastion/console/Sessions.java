package dev.bastion.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.common.Secret;
import dev.bastion.identity.SessionCredentials;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ProblemException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Console sessions: opened at sign-in around the credential the person proved (an API key or the provider's access
 * token), carried by an HttpOnly, Secure, SameSite=Strict cookie, and turned back into that credential on each
 * request ({@link SessionCredentials}), so the request is authenticated exactly as the API would authenticate it.
 * Every request made by script must carry the session's CSRF token in {@value #CSRF_HEADER}; only page navigations
 * ({@link Navigation}, GET) go without.
 */
public final class Sessions implements SessionCredentials {
    static final String COOKIE = "__Host-bastion-session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Put on the exchange of a console page view (a GET navigation): the one use that needs no CSRF token. */
    record Navigation() {}

    /** The session a request came with, for pages that embed its CSRF token and for signing out. */
    record Current(String idHash, Secret csrf, String kind, Instant expiresAt) {}

    /** A new session: the cookie value (shown to the browser once) and when it ends. */
    record Opened(Secret cookie, Instant expiresAt) {}

    private final SessionStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration ttl;
    private final Duration idle;

    Sessions(SessionStore store, Clock clock, SecureRandom random, Duration ttl, Duration idle) {
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.ttl = ttl;
        this.idle = idle;
    }

    /**
     * @param kind           {@code api_key} or {@code oidc}
     * @param credentialEnds when the credential itself stops being valid (a token's {@code exp}), or null
     */
    Opened open(Secret credential, String kind, Instant credentialEnds) {
        Instant now = clock.instant();
        Instant ends = now.plus(ttl);
        if (credentialEnds != null && credentialEnds.isBefore(ends)) ends = credentialEnds;
        String cookie = token();
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("credential", credential.value());
        payload.put("csrf", token());
        payload.put("kind", kind);
        try {
            store.put(hash(cookie), JSON.writeValueAsBytes(payload), now, ends);
        } catch (IOException e) {
            throw new IllegalStateException("session payload", e);
        }
        return new Opened(new Secret(cookie), ends);
    }

    /** Signing out with the sign-out form: the session ends if {@code csrf} is its token. */
    boolean endByForm(String cookie, String csrf) {
        if (!TOKEN.matcher(cookie).matches()) return false;
        String idHash = hash(cookie);
        var row = store.get(idHash);
        if (row.isEmpty()) return false;
        try {
            String expected = JSON.readTree(row.get().payload()).path("csrf").asText();
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), csrf.getBytes(StandardCharsets.UTF_8))) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        store.delete(idHash);
        return true;
    }

    @Override
    public Secret credential(Exchange exchange) {
        String cookie = cookie(exchange.headers().all("Cookie"), COOKIE).orElse(null);
        if (cookie == null) return null;
        if ("cross-site".equals(exchange.header("Sec-Fetch-Site"))) {
            throw new ProblemException(ErrorCode.CSRF_REJECTED, "a console session cannot be used from another site");
        }
        if (!TOKEN.matcher(cookie).matches()) throw expired();
        String idHash = hash(cookie);
        SessionStore.Row row = store.get(idHash).orElseThrow(Sessions::expired);
        Instant now = clock.instant();
        if (!now.isBefore(row.expiresAt()) || !now.isBefore(row.usedAt().plus(idle))) {
            store.delete(idHash);
            throw expired();
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(row.payload());
        } catch (IOException e) {
            throw expired();
        }
        Secret csrf = new Secret(payload.path("csrf").asText());
        if (exchange.get(Navigation.class) == null) {
            String sent = exchange.header(CSRF_HEADER);
            if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                    csrf.value().getBytes(StandardCharsets.UTF_8))) {
                throw new ProblemException(ErrorCode.CSRF_REJECTED,
                        "requests made with a console session must carry its " + CSRF_HEADER);
            }
        }
        if (now.isAfter(row.usedAt().plus(TOUCH_EVERY))) store.touch(idHash, now);
        exchange.put(Current.class, new Current(idHash, csrf, payload.path("kind").asText(), row.expiresAt()));
        return new Secret(payload.path("credential").asText());
    }

    /** The value of cookie {@code name} in the request's Cookie headers. */
    static Optional<String> cookie(List<String> headers, String name) {
        for (String header : headers) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).strip().equals(name)) return Optional.of(part.substring(eq + 1).strip());
            }
        }
        return Optional.empty();
    }

    String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException expired() {
        return new ProblemException(ErrorCode.SESSION_EXPIRED, "the console session has ended: sign in again");
    }
}
