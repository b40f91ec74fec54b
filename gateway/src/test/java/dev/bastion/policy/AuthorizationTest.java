package dev.bastion.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.RequestContext;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuthorizationTest {

    @Test
    void everyModelOperationMapsToAKnownAction() {
        for (Operation op : Operation.values()) assertThat(Authorization.action(op).wire()).isEqualTo(op.action());
    }

    @Test
    void factsComeFromTheExchangeDeclarations() {
        var json = new ObjectMapper().createObjectNode().put("model", "llama");
        var exchange = dev.bastion.testing.TestExchanges.exchange("r1", Instant.parse("2025-01-31T09:00:00Z"), 0,
                "10.0.0.7:5555", Map.of(),
                new RequestContext("support", List.of("s1", "s2"), "confidential", "c1"),
                new ModelRequest(Operation.CHAT, new byte[0], json, "llama", false));
        // the consent stage's facts for the named subjects (without them, named subjects have no basis)
        exchange.put(ConsentFacts.class, new ConsentFacts(2, 0, List.of("consent"), false));
        var facts = Authorization.facts(exchange, "10.0.0.7", Map.of("PERSON", 3));
        assertThat(facts.consent().basis()).isTrue();
        assertThat(facts.purpose()).isEqualTo("support");
        assertThat(facts.subjects()).containsExactly("s1", "s2");
        assertThat(facts.classification()).isEqualTo("confidential");
        assertThat(facts.clientIp()).isEqualTo("10.0.0.7");
        assertThat(facts.time()).isEqualTo(exchange.receivedAt());
        assertThat(facts.findings()).containsEntry("PERSON", 3);
        var decision = Policy.loadDefault().decide(new PolicyRequest(Requests.user("developer"),
                Authorization.action(Operation.CHAT), Resource.model("llama", Map.of(), "local", "eu", "confidential"), facts));
        assertThat(decision.allowed()).isTrue();
        exchange.put(Decision.class, decision);
        assertThat(exchange.get(Decision.class)).isSameAs(decision);
    }
}
