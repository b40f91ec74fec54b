package dev.bastion.bench.policy;

import dev.bastion.identity.Principal;
import dev.bastion.policy.Action;
import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyCompileException;
import dev.bastion.policy.PolicyRequest;
import dev.bastion.policy.RequestFacts;
import dev.bastion.policy.Resource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A 200-rule policy shaped like a large organisation's: 50 teams with a permit, a purpose-bound permit and an
 * obligate rule each (150), 30 admin-area rules, 20 forbids. Every rule has a CEL condition except the admin ones.
 */
final class PolicyBenchData {
    private PolicyBenchData() {}

    static String policyYaml(int teams) {
        var y = new StringBuilder("""
                version: 1
                purposes: [support, analytics, fraud-detection, software-development]
                classifications: [public, internal, confidential, restricted]
                default_classification: internal
                attributes:
                  principal: {department: string, clearance: int, tenant: string}
                  resource: {tenant: string}
                rules:
                """);
        for (int t = 0; t < teams; t++) {
            y.append("""
                      - id: team-%1$d-use
                        effect: permit
                        roles: [team-%1$d]
                        actions: [model.invoke, model.embed]
                        resources: ["model:team-%1$d-*", "model:shared-*"]
                        when: principal.attributes.department == "dept-%1$d" && request.classification_level <= 1
                      - id: team-%1$d-confidential
                        effect: permit
                        roles: [team-%1$d]
                        actions: [model.invoke]
                        resources: ["model:team-%1$d-*"]
                        when: request.classification == "confidential" && principal.attributes.clearance >= 2
                        purposes: [support, fraud-detection]
                      - id: team-%1$d-obligations
                        effect: obligate
                        roles: [team-%1$d]
                        actions: [model.invoke, model.embed]
                        when: resource.labels["pii"] == "strict" || request.findings.size() > 0
                        obligations: {mask: [EMAIL_ADDRESS, PHONE_NUMBER], pseudonymise: [PERSON], max_tokens: %2$d}
                    """.formatted(t, 1000 + t));
        }
        String[] adminActions = {"keys.manage", "policy.manage", "policy.read", "backends.manage", "config.read",
                "audit.read", "models.approve", "models.manage", "operator.manage", "policy.simulate"};
        for (int i = 0; i < 30; i++) {
            y.append("""
                      - id: admin-%d
                        effect: permit
                        roles: [ops-%d]
                        actions: [%s]
                    """.formatted(i, i % 7, adminActions[i % adminActions.length]));
        }
        for (int i = 0; i < 20; i++) {
            String when = switch (i % 5) {
                case 0 -> "request.client_ip != \"\" && !ip_in_cidr(request.client_ip, \"10.%d.0.0/16\")".formatted(i);
                case 1 -> "principal.attributes.tenant != resource.attributes.tenant";
                case 2 -> "request.classification_level > resource.max_classification_level";
                case 3 -> "request.time.getHours(\"UTC\") == %d && principal.type == \"service\"".formatted(i % 24);
                default -> "resource.region.startsWith(\"us-\") && \"eu-only\" in principal.roles";
            };
            // a quarter of the forbids apply to everyone, the rest to one team each
            String roles = i % 4 == 0 ? "[\"*\"]" : "[team-" + (i * 3) % teams + "]";
            y.append("""
                      - id: forbid-%d
                        effect: forbid
                        roles: %s
                        actions: [model.invoke, model.embed]
                        when: '%s'
                    """.formatted(i, roles, when.replace("'", "''")));
        }
        return y.toString();
    }

    static Policy policy(int teams) {
        try {
            return Policy.parse("bench.yaml", policyYaml(teams));
        } catch (PolicyCompileException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A developer of team 12 calling a team model with confidential data for a declared purpose. */
    static PolicyRequest request() {
        var principal = new Principal("oidc:https://idp#u12", Principal.Type.USER, Set.of("developer", "team-12"),
                Map.of("department", "dept-12", "clearance", 3L, "tenant", "acme"), Principal.AuthMethod.JWT, Set.of());
        var resource = new Resource("model", "team-12-llama", Map.of("pii", "strict"), "vllm-1", "eu-west",
                "confidential", Map.of("tenant", "acme"));
        var facts = new RequestFacts("support", List.of("s-1"), "confidential", "10.0.4.2",
                Instant.parse("2025-01-31T09:00:00Z"), Map.of("PERSON", 1));
        return new PolicyRequest(principal, Action.MODEL_INVOKE, resource, facts);
    }

    /** The smallest useful policy: one unconditional permit (the baseline). */
    static Policy baseline() {
        try {
            return Policy.parse("baseline.yaml",
                    "version: 1\nrules: [{id: all, effect: permit, roles: [\"*\"], actions: [model.invoke]}]\n");
        } catch (PolicyCompileException e) {
            throw new IllegalStateException(e);
        }
    }
}
