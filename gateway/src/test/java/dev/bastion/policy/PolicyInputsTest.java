package dev.bastion.policy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulate/cases input parser turns any JSON-like value into a request or a typed complaint. */
class PolicyInputsTest {

    @Test
    void aFullInputBuildsTheRequest() {
        var r = PolicyInputs.request(Map.of(
                "principal", Map.of("id", "oidc:x#1", "type", "service", "roles", List.of("service"),
                        "attributes", Map.of("tenant", "t1"), "auth_method", "jwt"),
                "action", "model.invoke",
                "resource", Map.of("kind", "model", "name", "llama", "labels", Map.of("tier", "gold"),
                        "region", "eu-west", "max_classification", "internal"),
                "request", Map.of("purpose", "support", "subjects", List.of("s1"), "client_ip", "10.0.0.1",
                        "time", "2025-02-01T10:00:00Z", "findings", Map.of("PERSON", 2L))), Instant.EPOCH);
        assertThat(r.principal().type()).isEqualTo(dev.bastion.identity.Principal.Type.SERVICE);
        assertThat(r.action()).isEqualTo(Action.MODEL_INVOKE);
        assertThat(r.resource().ref()).isEqualTo("model:llama");
        assertThat(r.facts().findings()).containsEntry("PERSON", 2);
        assertThat(r.facts().time()).isEqualTo(Instant.parse("2025-02-01T10:00:00Z"));
    }

    @Test
    void unknownKeysAndActionsAreRefused() {
        assertThatThrownBy(() -> PolicyInputs.request(Map.of("principal", Map.of(), "action", "model.invoke",
                "resource", "model:x", "extra", 1), Instant.EPOCH)).hasMessageContaining("unknown key 'extra'");
        assertThatThrownBy(() -> PolicyInputs.request(Map.of("principal", Map.of(), "action", "model.fly",
                "resource", "model:x"), Instant.EPOCH)).hasMessageContaining("unknown action");
        assertThatThrownBy(() -> PolicyInputs.request(Map.of("principal", Map.of("roles", "admin"),
                "action", "model.list", "resource", "model:x"), Instant.EPOCH)).hasMessageContaining("list of strings");
    }

    @Property(tries = 500)
    void anyInputGivesARequestOrAnIllegalArgument(@ForAll("inputs") Map<String, Object> input) {
        try {
            var r = PolicyInputs.request(input, Instant.EPOCH);
            Policy.loadDefault().explain(r);
        } catch (IllegalArgumentException expected) {
            // the only allowed failure
        }
    }

    @Provide
    Arbitrary<Map<String, Object>> inputs() {
        Arbitrary<Object> leaf = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(s -> s),
                Arbitraries.of("model.invoke", "model:x", "user", "service", "jwt", "2025-01-01T00:00:00Z",
                        "10.0.0.1", "admin").map(s -> s),
                Arbitraries.longs().map(l -> l), Arbitraries.doubles().map(d -> d), Arbitraries.just(null),
                Arbitraries.of(true, false).map(b -> b));
        Arbitrary<Object> list = leaf.list().ofMaxSize(3).map(l -> l);
        var keys = Arbitraries.of("principal", "action", "resource", "request", "roles", "id", "type", "attributes",
                "auth_method", "kind", "name", "labels", "purpose", "findings", "time", "client_ip", "x");
        Arbitrary<Object> inner = Arbitraries.maps(keys, Arbitraries.oneOf(leaf, list)).ofMaxSize(5).map(m -> m);
        return Arbitraries.maps(keys, Arbitraries.oneOf(leaf, list, inner)).ofMaxSize(5);
    }
}
