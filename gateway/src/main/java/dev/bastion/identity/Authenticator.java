package dev.bastion.identity;

import dev.bastion.common.Secret;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.security.cert.Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns request credentials into a {@link Principal}: an {@code Authorization: Bearer} API key or token (tried
 * against each {@link IdentityProvider} in order), later also client certificates. Used by the model pipeline and
 * by Bastion's own API alike, so every route authenticates the same way.
 */
public final class Authenticator {
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final List<IdentityProvider> providers;
    private final Function<Certificate[], Optional<Principal>> certificates;
    private volatile SessionCredentials sessions;

    /**
     * @param certificates maps a verified client-certificate chain to a principal (mutual TLS), or empty when no
     *                     mapping rule matches
     */
    public Authenticator(List<IdentityProvider> providers, Function<Certificate[], Optional<Principal>> certificates) {
        this.providers = List.copyOf(providers);
        this.certificates = certificates;
    }

    public Authenticator(List<IdentityProvider> providers) {
        this(providers, chain -> Optional.empty());
    }

    /** Lets console session cookies stand for the credential they were opened with (set once, at wiring). */
    public void acceptSessions(SessionCredentials sessions) { this.sessions = sessions; }

    /**
     * An exchange's caller: a bearer credential when one is sent; else a console session cookie, which is
     * authenticated as the credential it was opened with; else a client certificate.
     */
    public Principal authenticate(Exchange exchange) {
        SessionCredentials s = sessions;
        if (s != null && exchange.headers().all("Authorization").isEmpty()) {
            Secret credential = s.credential(exchange);
            if (credential != null) return authenticateBearer(credential.value());
        }
        return authenticate(exchange.headers()::all, exchange.peerCertificates());
    }

    /**
     * A bearer credential wins when one is sent; otherwise a client certificate that a mapping rule accepts
     * authenticates the caller (so keys, tokens and certificates work side by side).
     */
    public Principal authenticate(Function<String, List<String>> headers, Certificate[] peerCertificates) {
        if (peerCertificates != null && peerCertificates.length > 0 && headers.apply("Authorization").isEmpty()) {
            return certificates.apply(peerCertificates).orElseThrow(() -> new ProblemException(
                    ErrorCode.INVALID_CREDENTIALS, "client certificate is not mapped to any principal"));
        }
        return authenticate(headers);
    }

    /**
     * @param headers every value of a request header by name. Two {@code Authorization} headers are refused:
     *                a proxy in front and Bastion could each pick a different one.
     */
    public Principal authenticate(Function<String, List<String>> headers) {
        List<String> all = headers.apply("Authorization");
        if (all.size() > 1) {
            throw new ProblemException(ErrorCode.INVALID_HEADER, "send exactly one Authorization header");
        }
        String authorization = all.isEmpty() ? null : all.getFirst();
        if (authorization == null || authorization.isEmpty()) {
            throw new ProblemException(ErrorCode.MISSING_CREDENTIALS,
                    "no credentials: send 'Authorization: Bearer <API key or token>'");
        }
        if (authorization.length() > MAX_TOKEN_LENGTH) {
            throw new ProblemException(ErrorCode.INVALID_CREDENTIALS, "credentials are too long");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ProblemException(ErrorCode.INVALID_CREDENTIALS,
                    "unsupported authorization scheme: use 'Bearer <API key or token>'");
        }
        return authenticateBearer(authorization.substring(7).strip());
    }

    /** A bare bearer credential (an API key or token), checked by the first provider that recognises its shape. */
    public Principal authenticateBearer(String token) {
        for (IdentityProvider provider : providers) {
            if (provider.accepts(token)) return provider.authenticate(token);
        }
        throw new ProblemException(ErrorCode.INVALID_CREDENTIALS, "invalid API key");
    }
}
