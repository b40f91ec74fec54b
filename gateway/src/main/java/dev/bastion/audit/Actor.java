package dev.bastion.audit;

import dev.bastion.identity.Principal;

import java.util.Collection;
import java.util.List;

/** Who acted: the principal id, its roles (sorted) and how it authenticated ({@code api_key}, {@code jwt}, …). */
public record Actor(String id, List<String> roles, String authMethod) {
    public Actor {
        id = Fields.name("principal.id", id);
        roles = Fields.sortedTokens("principal.roles", roles);
        authMethod = Fields.token("principal.auth", authMethod);
    }

    public static Actor of(String id, Collection<String> roles, String authMethod) {
        return new Actor(id, List.copyOf(roles), authMethod);
    }

    public static Actor of(Principal p) {
        return of(p.id(), p.roles(), p.method().wireName());
    }
}
