package dev.bastion.policy;

import dev.bastion.identity.Principal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Visiting only the rules of the caller's roles decides exactly as visiting every rule does. */
class RoleIndexTest {
    static final Policy DEFAULT = Policy.loadDefault();
    static final Policy MIXED = Requests.policy("""
            version: 1
            purposes: [support, research]
            rules:
              - {id: p1, effect: permit, roles: [a, b], actions: [model.*], when: 'request.purpose != "research"'}
              - {id: p2, effect: permit, roles: ["*"], actions: [model.list]}
              - {id: p3, effect: permit, roles: [c], actions: [model.invoke], purposes: [research]}
              - {id: f1, effect: forbid, roles: [b], actions: [model.invoke], when: 'resource.name == "secret"'}
              - {id: f2, effect: forbid, roles: ["*"], actions: [keys.manage], when: 'principal.type == "service"'}
              - {id: o1, effect: obligate, roles: [a, c], actions: ["*"], obligations: {mask: [PERSON]}}
              - {id: o2, effect: obligate, roles: ["*"], actions: [model.invoke], obligations: {max_tokens: 100}}
            """);

    @Property(tries = 600)
    void indexedDecisionEqualsFullScan(@ForAll("roles") Set<String> roles, @ForAll Action action,
                                       @ForAll("names") String model, @ForAll("purposes") String purpose,
                                       @ForAll Principal.Type type) {
        var p = new Principal("u", type, roles, Map.of(), Principal.AuthMethod.JWT, Set.of());
        var facts = new RequestFacts(purpose, List.of(), purpose.isEmpty() ? "" : "internal", "10.0.0.1",
                Instant.parse("2025-01-31T09:00:00Z"), Map.of());
        var r = new PolicyRequest(p, action, Resource.model(model, Map.of(), "b", "eu", "confidential"), facts);
        for (Policy policy : List.of(DEFAULT, MIXED)) {
            assertThat(policy.decide(r)).isEqualTo(policy.explain(r).decision());
        }
    }

    @Provide
    Arbitrary<Set<String>> roles() {
        return Arbitraries.of("a", "b", "c", "admin", "auditor", "model-steward", "developer", "service", "x").set().ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> names() { return Arbitraries.of("secret", "llama", "*"); }

    @Provide
    Arbitrary<String> purposes() { return Arbitraries.of("", "support", "research", "incident-investigation"); }
}
