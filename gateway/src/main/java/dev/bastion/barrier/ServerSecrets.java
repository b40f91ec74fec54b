package dev.bastion.barrier;

import dev.bastion.pipeline.ProblemException;

import java.security.SecureRandom;
import java.util.function.Supplier;

/**
 * The server's own random secrets (API-key hashing key, audit signing key), created once, shared by every replica
 * and stored only through the barrier. A sealed barrier turns a fetch into 503 {@code sealed}.
 */
public final class ServerSecrets {
    public static final String API_KEY_HMAC = "apikeys/hmac";
    public static final String AUDIT_SIGNING_KEY = "audit/signing-key";
    public static final String VAULT_BLIND_INDEX = "vault/blind-index";

    private final SecretStore store;
    private final SecureRandom random;

    public ServerSecrets(SecretStore store, SecureRandom random) {
        this.store = store;
        this.random = random;
    }

    /** A source of the secret at {@code path} ({@code length} random bytes created on first use). */
    public Supplier<byte[]> source(String path, int length) {
        return () -> {
            try (SecretBytes secret = store.getOrCreate(path, length, random)) {
                return secret.copy();
            } catch (BarrierException e) {
                throw new ProblemException(e.errorCode().problem(e.kind() == BarrierException.Kind.SEALED
                        ? "Bastion is sealed: an operator must unseal it" : "server secret unavailable"));
            }
        };
    }
}
