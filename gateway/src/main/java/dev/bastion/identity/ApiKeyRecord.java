package dev.bastion.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What Bastion keeps about an API key: everything except the secret, of which only a keyed hash is stored.
 *
 * @param models      aliases this key may use; empty = any the policy allows
 * @param expiresAt   null = does not expire
 * @param revokedAt   null = not revoked
 */
public record ApiKeyRecord(String keyId, String name, List<String> roles, Map<String, Object> attributes,
                           List<String> models, Instant createdAt, Instant expiresAt, Instant revokedAt,
                           String createdBy) {

    public ApiKeyRecord {
        roles = List.copyOf(roles);
        attributes = Map.copyOf(attributes);
        models = List.copyOf(models);
    }

    public boolean expiredAt(Instant now) { return expiresAt != null && !now.isBefore(expiresAt); }

    public boolean revoked() { return revokedAt != null; }
}
