package dev.bastion.policy;

import dev.bastion.identity.Principal;
import dev.cel.runtime.CelRuntime;

import java.util.List;
import java.util.Set;

/**
 * One compiled rule. Cheap checks (roles, resource globs) run before the CEL condition.
 *
 * @param roles     roles of which the principal needs at least one; empty means any authenticated principal ({@code "*"})
 * @param actions   the actions the rule covers
 * @param resources globs over {@link Resource#ref()}; empty means any resource
 * @param condition compiled {@code when:}; null when the rule has none
 * @param purposes  purpose allow-list; null when the rule does not bind a purpose
 * @param code      the reason a matching forbid rule gives ({@code code:} in the file); {@link Reason#FORBIDDEN} by default
 */
record Rule(String id, Effect effect, int line, Set<String> roles, Set<Action> actions, List<Glob> resources,
            CelRuntime.Program condition, String conditionText, Set<String> purposes, Obligations obligations,
            Reason code) {

    boolean rolesMatch(Principal p) {
        if (roles.isEmpty()) return true;
        for (String r : roles) if (p.roles().contains(r)) return true;
        return false;
    }

    boolean resourceMatches(String ref) {
        if (resources.isEmpty()) return true;
        for (Glob g : resources) if (g.matches(ref)) return true;
        return false;
    }
}
