package dev.bastion.identity;

/** One way of proving identity with a bearer credential (API keys, OIDC/JWT tokens). */
public interface IdentityProvider {

    /** Whether this provider recognises the credential's shape (cheap; no verification). */
    boolean accepts(String bearerToken);

    /** Verifies the credential; throws a 401 {@code ProblemException} when it is not valid. */
    Principal authenticate(String bearerToken);
}
