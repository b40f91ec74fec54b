package dev.bastion.policy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bastion.policy.Requests.errors;
import static org.assertj.core.api.Assertions.assertThat;

class PolicyCompileTest {

    private static void assertError(String yaml, int line, String fragment) {
        List<PolicyError> errors = errors(yaml);
        assertThat(errors).as("errors").anySatisfy(e -> {
            assertThat(e.file()).isEqualTo("test.yaml");
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.message()).contains(fragment);
        });
    }

    @Test
    void yamlSyntaxErrorIsLocated() {
        assertError("""
                version: 1
                rules:
                  - id: a
                    effect: [permit
                """, 5, "YAML");
    }

    @Test
    void unknownKeysAreRejectedWhereTheyAre() {
        assertError("version: 1\nrulez: []\nrules: [{id: a, effect: permit, roles: [x], actions: [model.list]}]\n",
                2, "unknown key 'rulez'");
        assertError("""
                version: 1
                rules:
                  - id: a
                    effect: permit
                    roles: [x]
                    action: [model.list]
                """, 6, "unknown key 'action'");
    }

    @Test
    void unknownActionIsACompileError() {
        assertError("""
                version: 1
                rules:
                  - id: a
                    effect: permit
                    roles: [x]
                    actions: [model.invoke, model.delete]
                """, 6, "unknown action 'model.delete'");
        assertError("version: 1\nrules: [{id: a, effect: permit, roles: [x], actions: [Model.Invoke]}]\n", 2, "unknown action");
        assertError("version: 1\nrules: [{id: a, effect: permit, roles: [x], actions: [nothing.*]}]\n", 2, "unknown action pattern");
    }

    @Test
    void unknownEffectIsACompileError() {
        assertError("version: 1\nrules:\n  - {id: a, effect: allow, roles: [x], actions: [model.list]}\n", 3, "unknown effect 'allow'");
    }

    @Test
    void unknownAttributeInAConditionIsLocatedAtItsLine() {
        assertError("""
                version: 1
                rules:
                  - id: a
                    effect: permit
                    roles: [x]
                    actions: [model.list]
                    when: principal.rolez.size() > 0
                """, 7, "undefined field 'rolez'");
        assertError("""
                version: 1
                attributes: {principal: {department: string}}
                rules:
                  - id: a
                    effect: permit
                    roles: [x]
                    actions: [model.list]
                    when: |
                      principal.attributes.department == "x" &&
                      principal.attributes.tenant == "y"
                """, 10, "undefined field 'tenant'");
    }

    @Test
    void celTypeErrorsAreCompileErrors() {
        assertError("""
                version: 1
                rules:
                  - {id: a, effect: permit, roles: [x], actions: [model.list], when: 'request.purpose > 3'}
                """, 3, "no matching overload");
        assertError("""
                version: 1
                rules:
                  - {id: a, effect: permit, roles: [x], actions: [model.list], when: 'request.purpose'}
                """, 3, "expected type 'bool'");
        assertError("""
                version: 1
                attributes: {principal: {clearance: int}}
                rules:
                  - {id: a, effect: permit, roles: [x], actions: [model.list], when: 'principal.attributes.clearance == "high"'}
                """, 4, "no matching overload");
        assertError("""
                version: 1
                rules:
                  - {id: a, effect: permit, roles: [x], actions: [model.list], when: 'request.purpose == '}
                """, 3, "when:");
    }

    @Test
    void everyErrorOfAFileIsReportedAtOnce() {
        var errors = errors("""
                version: 1
                rules:
                  - {id: a, effect: permit, roles: [x], actions: [model.bogus]}
                  - {id: a, effect: permit, roles: [x], actions: [model.list]}
                  - {id: c, effect: maybe, roles: [x], actions: [model.list]}
                  - {id: d, effect: forbid, roles: [x], actions: [model.list], purposes: [support]}
                """);
        assertThat(errors).extracting(PolicyError::line).contains(3, 5, 6);
        assertThat(errors).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void structuralMistakesAreCompileErrors() {
        assertError("version: 2\nrules: [{id: a, effect: permit, roles: [x], actions: [model.list]}]\n", 1, "unsupported policy format");
        assertError("rules: [{id: a, effect: permit, roles: [x], actions: [model.list]}]\n", 1, "missing required key 'version'");
        assertError("version: 1\nrules: []\n", 2, "at least one rule");
        assertError("version: 1\nrules:\n  - {id: a, effect: permit, roles: [x], actions: [model.list]}\n  - {id: a, effect: permit, roles: [y], actions: [model.list]}\n", 4, "duplicate id");
        assertError("version: 1\nversion: 1\nrules: [{id: a, effect: permit, roles: [x], actions: [model.list]}]\n", 2, "duplicate key");
        assertError("version: 1\nrules: [{id: a, effect: permit, roles: admin, actions: [model.list]}]\n", 2, "roles must be a list");
        assertError("version: 1\nrules: [{id: a, effect: permit, roles: [], actions: [model.list]}]\n", 2, "roles must not be empty");
        assertError("version: 1\nrules: [{id: a, effect: permit, roles: [x], actions: [model.list], resources: [llama]}]\n", 2, "kind:pattern");
        assertError("version: 1\nrules: [{id: 'a b', effect: permit, roles: [x], actions: [model.list]}]\n", 2, "rule id");
        assertError("version: 1\nrules: [{id: a, effect: forbid, roles: [x], actions: [model.list], obligations: {mask: [PERSON]}}]\n", 2, "no obligations");
        assertError("version: 1\nrules: [{id: a, effect: obligate, roles: [x], actions: [model.list]}]\n", 2, "needs obligations");
        assertError("version: 1\nrules: [{id: a, effect: permit, roles: [x], actions: [model.list], obligations: {mask: [person]}}]\n", 2, "UPPER_SNAKE_CASE");
        assertError("version: 1\nrules: [{id: a, effect: permit, roles: [x], actions: [model.list], obligations: {mask: [PERSON], block: [PERSON]}}]\n", 2, "two obligations");
        assertError("version: 1\nrules: [{id: a, effect: permit, roles: [x], actions: [model.list], obligations: {max_tokens: 0}}]\n", 2, "max_tokens");
        assertError("version: 1\nattributes: {principal: {dept: text}}\nrules: [{id: a, effect: permit, roles: [x], actions: [model.list]}]\n", 2, "unknown type 'text'");
        assertError("version: 1\nclassifications: [a, b]\ndefault_classification: c\nrules: [{id: a, effect: permit, roles: [x], actions: [model.list]}]\n", 3, "not one of the classifications");
        assertError("version: 1\npurposes: [support]\nrules: [{id: a, effect: permit, roles: [x], actions: [model.list], purposes: [suport]}]\n", 3, "not declared");
        assertError("", 1, "empty");
        assertError("- just\n- a list\n", 1, "must be a mapping");
        assertError("version: 1\nrules: [{id: a, effect: permit, roles: [x], actions: [model.list]}]\n---\nversion: 1\n", 3, "YAML");
    }

    @Test
    void yamlAliasBombsAreRejected() {
        var errors = errors("""
                version: 1
                a: &a [x, x, x, x, x, x, x, x, x]
                b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
                d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
                rules: [{id: a, effect: permit, roles: [x], actions: [model.list]}]
                """);
        assertThat(errors).isNotEmpty();
    }

    @Property(tries = 300)
    void arbitraryTextEitherCompilesOrIsRejectedWithErrors(@ForAll("policyish") String text) {
        try {
            Policy.parse("fuzz.yaml", text);
        } catch (PolicyCompileException e) {
            assertThat(e.errors()).isNotEmpty().allSatisfy(err -> assertThat(err.message()).isNotBlank());
        }
    }

    @Provide
    Arbitrary<String> policyish() {
        var fragments = Arbitraries.of("version: 1\n", "rules:\n", "  - id: a\n", "    effect: permit\n",
                "    roles: [x]\n", "    actions: [model.list]\n", "    when: ", "request.purpose == 'x'\n", "{", "}",
                "[", "]", ": ", "- ", "&a ", "*a ", "!!python/object ", "\"", "'", "\t", "\u0000", "é", "\n", "    ",
                "obligations: {mask: [A]}\n", "principal.attributes.x", "has(", ")", "&&", "1e999", "0x10");
        return Arbitraries.oneOf(fragments.list().ofMaxSize(30).map(l -> String.join("", l)),
                Arbitraries.strings().ofMaxLength(200));
    }
}
