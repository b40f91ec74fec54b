package dev.bastion.identity;

import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Key;
import dev.bastion.pipeline.ProblemException;

import java.util.List;
import java.util.function.Function;

/**
 * Turns request credentials into a {@link Principal}: an {@code Authorization: Bearer} API key or token (tried
 * against each {@link IdentityProvider} in order), later also client certificates. Used by the model pipeline and
 * by Bastion's own API alike, so every route authenticates the same way.
 */
public final class Authenticator {
    /** Where the authenticated caller is kept on an exchange. */
    public static final Key<Principal> PRINCIPAL = Key.of("principal", Principal.class);
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final List<IdentityProvider> providers;

    public Authenticator(List<IdentityProvider> providers) {
        this.providers = List.copyOf(providers);
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
        String token = authorization.substring(7).strip();
        for (IdentityProvider provider : providers) {
            if (provider.accepts(token)) return provider.authenticate(token);
        }
        throw new ProblemException(ErrorCode.INVALID_CREDENTIALS, "invalid API key");
    }
}
