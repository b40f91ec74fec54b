package dev.bastion.policy;

import dev.bastion.identity.Principal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small builders for policy tests. */
final class Requests {
    static final Instant T = Instant.parse("2025-01-31T09:00:00Z");

    private Requests() {}

    static Principal user(String... roles) {
        return new Principal("user:test", Principal.Type.USER, Set.of(roles), Map.of(), Principal.AuthMethod.JWT, Set.of());
    }

    static Principal user(Map<String, Object> attributes, String... roles) {
        return new Principal("user:test", Principal.Type.USER, Set.of(roles), attributes, Principal.AuthMethod.JWT, Set.of());
    }

    static PolicyRequest req(Principal p, Action a, Resource r) {
        return new PolicyRequest(p, a, r, RequestFacts.at(T));
    }

    static PolicyRequest req(Principal p, Action a, Resource r, RequestFacts f) {
        return new PolicyRequest(p, a, r, f);
    }

    static RequestFacts purpose(String purpose) {
        return new RequestFacts(purpose, List.of(), "", "", T, Map.of());
    }

    static Policy policy(String yaml) {
        try {
            return Policy.parse("test.yaml", yaml);
        } catch (PolicyCompileException e) {
            throw new AssertionError(e.errors().toString(), e);
        }
    }

    static List<PolicyError> errors(String yaml) {
        try {
            Policy.parse("test.yaml", yaml);
        } catch (PolicyCompileException e) {
            return e.errors();
        }
        throw new AssertionError("policy compiled but should not have");
    }
}
