package dev.bastion.policy;

import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.bastion.policy.Requests.T;
import static dev.bastion.policy.Requests.policy;
import static dev.bastion.policy.Requests.purpose;
import static dev.bastion.policy.Requests.req;
import static dev.bastion.policy.Requests.user;
import static org.assertj.core.api.Assertions.assertThat;

class PolicyDecisionTest {
    static final Resource LLAMA = Resource.model("llama", Map.of("tier", "gold"), "local", "eu-west", "confidential");

    @Test
    void nothingIsAllowedWithoutAMatchingPermit() {
        var p = policy("""
                version: 1
                rules:
                  - {id: dev, effect: permit, roles: [developer], actions: [model.invoke]}
                """);
        var d = p.decide(req(user("developer"), Action.MODEL_EMBED, LLAMA));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo(Reason.NO_PERMIT);
        assertThat(d.ruleIds()).isEmpty();
        assertThat(d.problem().code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(p.decide(req(user("tester"), Action.MODEL_INVOKE, LLAMA)).allowed()).isFalse();
        assertThat(p.decide(req(user("developer"), Action.MODEL_INVOKE, LLAMA)).allowed()).isTrue();
    }

    @Test
    void forbidOverridesPermitWhateverTheOrder() {
        var p = policy("""
                version: 1
                rules:
                  - {id: allow-all, effect: permit, roles: ["*"], actions: ["*"]}
                  - {id: no-keys, effect: forbid, roles: [developer], actions: [keys.manage]}
                """);
        var d = p.decide(req(user("developer", "admin"), Action.KEYS_MANAGE, Resource.admin("keys", "*")));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo(Reason.FORBIDDEN);
        assertThat(d.ruleIds()).containsExactly("no-keys");
        assertThat(d.problem().message()).contains("no-keys");
        assertThat(p.decide(req(user("admin"), Action.KEYS_MANAGE, Resource.admin("keys", "*"))).allowed()).isTrue();
    }

    @Test
    void allowCarriesEveryMatchingPermitAndMergedObligations() {
        var p = policy("""
                version: 1
                rules:
                  - id: a
                    effect: permit
                    roles: [developer]
                    actions: [model.invoke]
                    obligations: {mask: [EMAIL_ADDRESS], regions: [eu-west, eu-north], max_tokens: 2000}
                  - id: b
                    effect: permit
                    roles: ["*"]
                    actions: [model.*]
                    obligations: {pseudonymise: [EMAIL_ADDRESS, PERSON], regions: [eu-west, us-east], max_tokens: 500, reidentify: true}
                  - id: c
                    effect: obligate
                    roles: ["*"]
                    actions: [model.invoke]
                    obligations: {block: [SECRET], prompt_injection: flag, reidentify: false}
                  - id: d
                    effect: obligate
                    roles: ["*"]
                    actions: [model.invoke]
                    when: request.purpose == "never"
                    obligations: {block: [PERSON]}
                """);
        var d = p.decide(req(user("developer"), Action.MODEL_INVOKE, LLAMA));
        assertThat(d.allowed()).isTrue();
        assertThat(d.ruleIds()).containsExactly("a", "b");
        assertThat(d.obligationRuleIds()).containsExactly("c");
        var o = d.obligations();
        assertThat(o.mask()).containsExactly("EMAIL_ADDRESS");          // mask is stronger than pseudonymise
        assertThat(o.pseudonymise()).containsExactly("PERSON");
        assertThat(o.block()).containsExactly("SECRET");
        assertThat(o.allowedRegions()).containsExactly("eu-west");      // regions intersect
        assertThat(o.maxTokens()).isEqualTo(500);                       // smallest cap
        assertThat(o.reidentifyAllowed()).isFalse();                    // one refusal beats one allowance
        assertThat(o.injection()).isEqualTo(Obligations.Injection.FLAG);
    }

    @Test
    void obligateRulesNeverGrant() {
        var p = policy("""
                version: 1
                rules:
                  - {id: o, effect: obligate, roles: ["*"], actions: ["*"], obligations: {mask: [PERSON]}}
                """);
        assertThat(p.decide(req(user("x"), Action.MODEL_INVOKE, LLAMA)).allowed()).isFalse();
    }

    @Test
    void purposeBindingSaysRequiredOrNotAllowed() {
        var p = policy("""
                version: 1
                purposes: [support, fraud-detection, marketing]
                rules:
                  - {id: support-use, effect: permit, roles: [agent], actions: [model.invoke], purposes: [support, fraud-detection]}
                """);
        var none = p.decide(req(user("agent"), Action.MODEL_INVOKE, LLAMA));
        assertThat(none.reason()).isEqualTo(Reason.PURPOSE_REQUIRED);
        assertThat(none.ruleIds()).containsExactly("support-use");
        assertThat(none.problem().code()).isEqualTo(ErrorCode.PURPOSE_REQUIRED);
        var wrong = p.decide(req(user("agent"), Action.MODEL_INVOKE, LLAMA, purpose("marketing")));
        assertThat(wrong.reason()).isEqualTo(Reason.PURPOSE_NOT_ALLOWED);
        assertThat(wrong.problem().code()).isEqualTo(ErrorCode.PURPOSE_NOT_ALLOWED);
        // exact match: no case folding, no trimming
        assertThat(p.decide(req(user("agent"), Action.MODEL_INVOKE, LLAMA, purpose("Support"))).reason())
                .isEqualTo(Reason.PURPOSE_NOT_ALLOWED);
        assertThat(p.decide(req(user("agent"), Action.MODEL_INVOKE, LLAMA, purpose("support "))).allowed()).isFalse();
        assertThat(p.decide(req(user("agent"), Action.MODEL_INVOKE, LLAMA, purpose("support"))).allowed()).isTrue();
        // someone without the role gets plain default deny, not a purpose hint
        assertThat(p.decide(req(user("other"), Action.MODEL_INVOKE, LLAMA)).reason()).isEqualTo(Reason.NO_PERMIT);
    }

    @Test
    void aPermitWhoseConditionFailsToEvaluateGrantsNothing() {
        var p = policy("""
                version: 1
                attributes: {principal: {department: string}}
                rules:
                  - {id: finance, effect: permit, roles: ["*"], actions: [model.invoke], when: principal.attributes.department == "finance"}
                """);
        assertThat(p.decide(req(user("x"), Action.MODEL_INVOKE, LLAMA)).allowed()).isFalse();
        // wrong type is not coerced: a number is not the string "finance"
        assertThat(p.decide(req(user(Map.of("department", 7L), "x"), Action.MODEL_INVOKE, LLAMA)).allowed()).isFalse();
        assertThat(p.decide(req(user(Map.of("department", "finance"), "x"), Action.MODEL_INVOKE, LLAMA)).allowed()).isTrue();
    }

    @Test
    void aForbidWhoseConditionFailsToEvaluateDenies() {
        var p = policy("""
                version: 1
                attributes: {principal: {clearance: int}}
                rules:
                  - {id: all, effect: permit, roles: ["*"], actions: [model.invoke]}
                  - {id: low-clearance, effect: forbid, roles: ["*"], actions: [model.invoke], when: principal.attributes.clearance < 3}
                """);
        var missing = p.decide(req(user("x"), Action.MODEL_INVOKE, LLAMA));
        assertThat(missing.allowed()).isFalse();
        assertThat(missing.reason()).isEqualTo(Reason.EVALUATION_ERROR);
        assertThat(missing.ruleIds()).containsExactly("low-clearance");
        assertThat(p.decide(req(user(Map.of("clearance", "5"), "x"), Action.MODEL_INVOKE, LLAMA)).allowed()).isFalse();
        assertThat(p.decide(req(user(Map.of("clearance", 5), "x"), Action.MODEL_INVOKE, LLAMA)).allowed()).isTrue();
        assertThat(p.decide(req(user(Map.of("clearance", 1L), "x"), Action.MODEL_INVOKE, LLAMA)).reason())
                .isEqualTo(Reason.FORBIDDEN);
    }

    @Test
    void anObligateRuleThatFailsToEvaluateDenies() {
        var p = policy("""
                version: 1
                rules:
                  - {id: all, effect: permit, roles: ["*"], actions: [model.invoke]}
                  - {id: pii, effect: obligate, roles: ["*"], actions: [model.invoke], when: 'request.findings["PERSON"] > 0', obligations: {mask: [PERSON]}}
                """);
        var d = p.decide(req(user("x"), Action.MODEL_INVOKE, LLAMA));
        assertThat(d.reason()).isEqualTo(Reason.EVALUATION_ERROR);
        var withFindings = p.decide(req(user("x"), Action.MODEL_INVOKE, LLAMA, RequestFacts.at(T).withFindings(Map.of("PERSON", 2))));
        assertThat(withFindings.allowed()).isTrue();
        assertThat(withFindings.obligations().mask()).containsExactly("PERSON");
    }

    @Test
    void credentialModelScopeCapsWhatPolicyGrants() {
        var p = policy("""
                version: 1
                rules:
                  - {id: all, effect: permit, roles: ["*"], actions: ["*"]}
                """);
        var scoped = new Principal("key:k1", Principal.Type.SERVICE, Set.of("service"), Map.of(),
                Principal.AuthMethod.API_KEY, Set.of("small"));
        var d = p.decide(req(scoped, Action.MODEL_INVOKE, LLAMA));
        assertThat(d.reason()).isEqualTo(Reason.MODEL_NOT_IN_SCOPE);
        assertThat(d.problem().code()).isEqualTo(ErrorCode.MODEL_NOT_ALLOWED);
        assertThat(p.decide(req(scoped, Action.MODEL_INVOKE, Resource.model("small"))).allowed()).isTrue();
    }

    @Test
    void resourceGlobsAreExactAndCaseSensitive() {
        var p = policy("""
                version: 1
                rules:
                  - {id: llama-only, effect: permit, roles: ["*"], actions: [model.invoke], resources: ["model:llama-*"]}
                """);
        assertThat(p.decide(req(user("x"), Action.MODEL_INVOKE, Resource.model("llama-3"))).allowed()).isTrue();
        for (String alias : List.of("Llama-3", "LLAMA-3", "llama", "xllama-3", "ⅼlama-3", "llama\u2011-3", " llama-3")) {
            assertThat(p.decide(req(user("x"), Action.MODEL_INVOKE, Resource.model(alias))).allowed())
                    .as(alias).isEqualTo(alias.startsWith("llama-"));
        }
        assertThat(p.decide(req(user("x"), Action.MODEL_INVOKE, Resource.admin("notmodel", "llama-3"))).allowed()).isFalse();
    }

    @Test
    void conditionsSeeRequestContextTimeAndAddress() {
        var p = policy("""
                version: 1
                rules:
                  - id: office
                    effect: permit
                    roles: ["*"]
                    actions: [model.invoke]
                    when: >-
                      ip_in_cidr(request.client_ip, "10.20.0.0/16")
                      && request.time.getHours("Europe/Berlin") >= 8 && request.time.getHours("Europe/Berlin") < 18
                      && resource.region.startsWith("eu-") && resource.labels["tier"] == "gold"
                      && action == "model.invoke" && principal.auth_method == "jwt"
                """);
        var inside = new RequestFacts("", List.of(), "", "10.20.3.4", Instant.parse("2025-01-31T09:00:00Z"), Map.of());
        assertThat(p.decide(req(user("x"), Action.MODEL_INVOKE, LLAMA, inside)).allowed()).isTrue();
        var mapped = new RequestFacts("", List.of(), "", "::ffff:10.20.3.4", Instant.parse("2025-01-31T09:00:00Z"), Map.of());
        assertThat(p.decide(req(user("x"), Action.MODEL_INVOKE, LLAMA, mapped)).allowed()).isTrue();
        var outside = new RequestFacts("", List.of(), "", "10.21.3.4", Instant.parse("2025-01-31T09:00:00Z"), Map.of());
        assertThat(p.decide(req(user("x"), Action.MODEL_INVOKE, LLAMA, outside)).allowed()).isFalse();
        var night = new RequestFacts("", List.of(), "", "10.20.3.4", Instant.parse("2025-01-31T20:00:00Z"), Map.of());
        assertThat(p.decide(req(user("x"), Action.MODEL_INVOKE, LLAMA, night)).allowed()).isFalse();
        var hostname = new RequestFacts("", List.of(), "", "localhost", Instant.parse("2025-01-31T09:00:00Z"), Map.of());
        assertThat(p.decide(req(user("x"), Action.MODEL_INVOKE, LLAMA, hostname)).allowed()).isFalse();
    }

    @Test
    void explanationShowsWhatHappenedToEachRule() {
        var p = policy("""
                version: 1
                rules:
                  - {id: admins, effect: permit, roles: [admin], actions: [model.invoke]}
                  - {id: other-model, effect: permit, roles: ["*"], actions: [model.invoke], resources: ["model:other"]}
                  - {id: eu, effect: permit, roles: ["*"], actions: [model.invoke], when: resource.region == "us"}
                  - {id: never-keys, effect: forbid, roles: ["*"], actions: [keys.manage]}
                """);
        var e = p.explain(req(user("dev"), Action.MODEL_INVOKE, LLAMA));
        assertThat(e.decision().allowed()).isFalse();
        assertThat(e.steps()).extracting(Explanation.Step::ruleId, Explanation.Step::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("admins", "role_mismatch"),
                org.assertj.core.groups.Tuple.tuple("other-model", "resource_mismatch"),
                org.assertj.core.groups.Tuple.tuple("eu", "condition_false"));
        assertThat(e.steps().getFirst().line()).isEqualTo(3);
    }

    @Test
    void decisionNamesThePolicyThatDecided() {
        var p = policy("version: 1\nrules: [{id: a, effect: permit, roles: [\"*\"], actions: [model.list]}]\n");
        assertThat(p.decide(req(user("x"), Action.MODEL_LIST, Resource.model("*"))).policyDigest())
                .isEqualTo(p.digest()).startsWith("sha256:").hasSize(71);
    }
}
