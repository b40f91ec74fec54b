package dev.bastion.policy;

import dev.bastion.testing.Mutations;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Fuzz target: the policy YAML compiler. Any text compiles or is refused with located errors, nothing else. */
class PolicyYamlFuzzTest {
    static final byte[] SHIPPED = shipped();

    @Property
    void anyPolicyTextCompilesOrIsRefusedWithErrors(@ForAll("policies") byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            Policy p = Policy.parse("fuzz.yaml", text);
            assertThat(p.ruleCount()).isPositive();
            assertThat(p.roles()).doesNotContain("*");
        } catch (PolicyCompileException e) {
            assertThat(e.errors()).isNotEmpty();
        }
    }

    @Provide
    Arbitrary<byte[]> policies() {
        return Mutations.of(400, List.of(SHIPPED, ("version: 1\nroles: [a]\nrules:\n  - {id: r, effect: permit, roles: [a], "
                + "actions: [keys.grant], resources: [\"role:a\"], when: 'request.purpose == \"x\"'}\n")
                .getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] shipped() {
        try (InputStream in = Policy.class.getResourceAsStream(Policy.DEFAULT_RESOURCE)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
