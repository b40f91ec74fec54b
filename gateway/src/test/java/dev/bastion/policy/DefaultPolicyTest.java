package dev.bastion.policy;

import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped default policy keeps least privilege and separation of duties, as its cases file states. */
class DefaultPolicyTest {

    static Path shipped(String name) throws URISyntaxException {
        return Path.of(DefaultPolicyTest.class.getResource("/policy/" + name).toURI());
    }

    @Test
    void shippedDefaultPolicyPassesItsCasesFile() throws Exception {
        var cases = PolicyCases.load(shipped("default-cases.yaml"));
        var policy = Policy.loadDefault();
        assertThat(cases.policyFile()).isEqualTo(shipped("default.yaml"));
        assertThat(Policy.load(cases.policyFile()).digest()).isEqualTo(policy.digest());
        var report = cases.run(policy);
        assertThat(report.results()).hasSizeGreaterThanOrEqualTo(30);
        assertThat(report.results()).allSatisfy(r -> assertThat(r.passed()).as(r.testCase().name() + ": " + r.detail()).isTrue());
    }

    @Test
    void noBuiltInRoleHoldsBothAdministrationAndAuditContent() {
        var policy = Policy.loadDefault();
        var roles = java.util.List.of("admin", "auditor", "model-steward", "developer", "service");
        for (String a : roles) {
            for (String b : roles) {
                var p = new dev.bastion.identity.Principal("u", dev.bastion.identity.Principal.Type.USER,
                        new java.util.HashSet<>(java.util.List.of(a, b)), java.util.Map.of(), dev.bastion.identity.Principal.AuthMethod.JWT,
                        java.util.Set.of());
                var facts = Requests.purpose("incident-investigation");
                boolean content = policy.decide(new PolicyRequest(p, Action.AUDIT_CONTENT_READ, Resource.admin("audit", "*"), facts)).allowed();
                boolean keys = policy.decide(new PolicyRequest(p, Action.KEYS_MANAGE, Resource.admin("keys", "*"), facts)).allowed();
                boolean policyChange = policy.decide(new PolicyRequest(p, Action.POLICY_MANAGE, Resource.admin("policy", "default"), facts)).allowed();
                assertThat(content && (keys || policyChange)).as(a + "+" + b).isFalse();
            }
        }
    }

    @Test
    void aCasesFileThatExpectsTheWrongDecisionFails() throws Exception {
        var cases = PolicyCases.parse(Path.of("wrong.yaml"), """
                version: 1
                cases:
                  - name: admin reads content (wrong on purpose)
                    principal: {roles: [admin]}
                    action: audit.content.read
                    resource: "audit:*"
                    expect: {decision: allow}
                """);
        var report = cases.run(Policy.loadDefault());
        assertThat(report.ok()).isFalse();
        assertThat(report.results().getFirst().detail()).contains("expected allow, got deny");
        assertThat(report.results().getFirst().testCase().line()).isEqualTo(3);
    }
}
