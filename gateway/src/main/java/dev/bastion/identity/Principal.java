package dev.bastion.identity;

import java.util.Map;
import java.util.Set;

/**
 * Who is calling, whichever way they proved it (API key, OIDC/JWT bearer token, client certificate).
 *
 * @param id          stable identifier: {@code key:<keyId>}, {@code oidc:<iss>#<sub>}, {@code cert:<subject>}
 * @param type        a person or a service
 * @param roles       role names the policy engine matches on
 * @param attributes  ABAC attributes (tenant, department, clearance, region, …); values are strings, numbers,
 *                    booleans or lists of strings
 * @param method      how the caller authenticated
 * @param modelScope  model aliases this credential may use; empty means no restriction from the credential itself
 *                    (policy still decides)
 */
public record Principal(String id, Type type, Set<String> roles, Map<String, Object> attributes, AuthMethod method,
                        Set<String> modelScope) {

    public enum Type { USER, SERVICE }

    public enum AuthMethod {
        API_KEY("api_key"), JWT("jwt"), MTLS("mtls"), LOCAL("local");

        private final String wireName;

        AuthMethod(String wireName) { this.wireName = wireName; }

        /** The lowercase name used in audit records and policy expressions. */
        public String wireName() { return wireName; }
    }

    public Principal {
        roles = Set.copyOf(roles);
        attributes = Map.copyOf(attributes);
        modelScope = Set.copyOf(modelScope);
    }

    public boolean hasRole(String role) { return roles.contains(role); }

    /** True when the credential itself permits this model alias. */
    public boolean mayUseModel(String alias) { return modelScope.isEmpty() || modelScope.contains(alias); }
}
