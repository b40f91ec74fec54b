package dev.bastion.policy;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A forbid rule may name the code its refusal carries ({@code code: consent_missing}); the refusal names the
 * declared purpose and never a subject; only forbid rules take a code and only known codes compile; and policy
 * reads the consent facts as {@code request.consent}.
 */
class ConsentRuleTest {
    private static final String POLICY = """
            version: 1
            purposes: [support]
            rules:
              - id: use
                effect: permit
                roles: [developer]
                actions: [model.invoke]
              - id: needs-basis
                effect: forbid
                code: consent_missing
                roles: ["*"]
                actions: [model.invoke]
                when: "!request.consent.basis"
              - id: no-sale-for-analytics
                effect: forbid
                roles: ["*"]
                actions: [model.invoke]
                when: request.consent.sale_opt_out && request.purpose == "analytics"
            """;

    @Test
    void aMissingBasisIsRefusedWithConsentMissingNamingThePurposeNotTheSubject() throws Exception {
        Policy p = Policy.parse("test", POLICY);
        Decision d = p.decide(request(new ConsentFacts(1, 1, List.of(), false), "support"));
        assertThat(d.reason()).isEqualTo(Reason.CONSENT_MISSING);
        var problem = d.problem("support");
        assertThat(problem.code().code()).isEqualTo("consent_missing");
        assertThat(problem.status()).isEqualTo(403);
        assertThat(problem.message()).contains("'support'").doesNotContain("patient-9");

        assertThat(p.decide(request(new ConsentFacts(1, 0, List.of("consent"), false), "support")).allowed()).isTrue();
        Decision sale = p.decide(request(new ConsentFacts(1, 0, List.of("consent"), true), "analytics"));
        assertThat(sale.reason()).as("a forbid without a code is plain forbidden").isEqualTo(Reason.FORBIDDEN);
        // no consent facts at all: named subjects count as having no basis
        assertThat(p.decide(new PolicyRequest(Requests.user("developer"), Action.MODEL_INVOKE, Resource.model("chat", Map.of(), "local", "eu", "confidential"),
                new RequestFacts("support", List.of("patient-9"), "", "", Instant.EPOCH, Map.of()))).reason())
                .isEqualTo(Reason.CONSENT_MISSING);
    }

    @Test
    void onlyForbidRulesNameACodeAndOnlyKnownCodes() {
        assertThatThrownBy(() -> Policy.parse("t", POLICY.replace("code: consent_missing", "code: because")))
                .isInstanceOf(PolicyCompileException.class).hasMessageContaining("unknown code");
        assertThatThrownBy(() -> Policy.parse("t", """
                version: 1
                rules:
                  - {id: p, effect: permit, code: consent_missing, roles: [a], actions: [model.invoke]}
                """)).isInstanceOf(PolicyCompileException.class);
    }

    private static PolicyRequest request(ConsentFacts consent, String purpose) {
        return new PolicyRequest(Requests.user("developer"), Action.MODEL_INVOKE, Resource.model("chat", Map.of(), "local", "eu", "confidential"),
                new RequestFacts(purpose, List.of("patient-9"), "", "", Instant.EPOCH, Map.of(), consent));
    }
}
