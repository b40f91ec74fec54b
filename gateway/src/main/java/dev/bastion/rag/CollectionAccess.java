package dev.bastion.rag;

import dev.bastion.identity.Principal;
import dev.bastion.policy.Action;
import dev.bastion.policy.Condition;
import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyCompileException;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.PolicyRequest;
import dev.bastion.policy.RequestFacts;
import dev.bastion.policy.Resource;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a caller may retrieve from a collection: the policy must permit {@code documents.retrieve} on
 * {@code collection:NAME} (so a policy file can forbid a collection outright), and the collection's own access rule
 * must admit them (a role, a purpose, its condition). Conditions are compiled against the policy in force and
 * compiled again when it changes; one that no longer compiles admits nobody (fail closed).
 */
final class CollectionAccess {
    private record Compiled(String policyDigest, String text, Condition condition) {}

    private final PolicyHolder policies;
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    CollectionAccess(PolicyHolder policies) {
        this.policies = policies;
    }

    /** The collection as policy sees it: kind {@code collection}, its name, labels owner/classification/personal_data. */
    static Resource resource(Collection c) {
        return new Resource("collection", c.name(), Map.of("owner", c.owner(), "classification", c.classification(),
                "personal_data", c.personalData().wire()), "", "", "", Map.of());
    }

    /** Checks that a rule's condition compiles under the policy in force; the exception names the error. */
    void check(String collection, Collection.AccessRule rule) throws PolicyCompileException {
        if (!rule.when().isEmpty()) policies.current().condition("collection " + collection, rule.when());
    }

    boolean admits(Collection c, Principal p, RequestFacts facts) {
        Policy policy = policies.current();
        Resource res = resource(c);
        PolicyRequest req = new PolicyRequest(p, Action.DOCUMENTS_RETRIEVE, res, facts);
        if (!policy.decide(req).allowed()) return false;
        Collection.AccessRule rule = c.access();
        if (!rule.roles().isEmpty() && rule.roles().stream().noneMatch(p::hasRole)) return false;
        if (rule.purposes() != null && !rule.purposes().contains(facts.purpose())) return false;
        if (rule.when().isEmpty()) return true;
        Condition cond = condition(policy, c.name(), rule.when());
        return cond != null && cond.holds(req);
    }

    private Condition condition(Policy policy, String name, String text) {
        Compiled k = compiled.get(name);
        if (k != null && k.policyDigest().equals(policy.digest()) && k.text().equals(text)) return k.condition();
        try {
            Condition c = policy.condition("collection " + name, text);
            compiled.put(name, new Compiled(policy.digest(), text, c));
            return c;
        } catch (PolicyCompileException e) {
            compiled.remove(name);
            return null;
        }
    }
}
