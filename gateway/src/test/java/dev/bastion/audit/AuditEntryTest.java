package dev.bastion.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.Completion;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Audit entries: exact canonical bytes, and no way to carry prompt or completion text. */
class AuditEntryTest {
    static final Instant T = Instant.parse("2026-03-01T12:00:00.123456Z");
    static final Actor ALICE = Actor.of(new Principal("key:k1", Principal.Type.SERVICE, Set.of("analyst", "app"),
            Map.of(), Principal.AuthMethod.API_KEY, Set.of()));

    static RequestEntry request(String id) {
        return RequestEntry.builder(id, T).principal(ALICE).clientAddress("203.0.113.7").action("model.invoke")
                .model(new ModelRoute("chat-small", "llama-3.1-8b", "vllm-eu-1")).purpose("support")
                .subjects(List.of("subj-1", "subj-2")).classification("confidential")
                .decision(new PolicyDecision("permit", List.of("allow-analysts"), List.of("mask:EMAIL")))
                .findings(Map.of("EMAIL", 2, "PHONE", 1)).stream(true).build();
    }

    @Test
    void requestEntryHasExactCanonicalBytes() {
        assertThat(new String(request("req-1").toCanonicalJson(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"action\":\"model.invoke\",\"classification\":\"confidential\",\"client\":\"203.0.113.7\","
                + "\"decision\":{\"effect\":\"permit\",\"obligations\":[\"mask:EMAIL\"],\"rules\":[\"allow-analysts\"]},"
                + "\"findings\":{\"EMAIL\":2,\"PHONE\":1},\"kind\":\"bastion.audit.request/v1\","
                + "\"model\":{\"alias\":\"chat-small\",\"backend\":\"vllm-eu-1\",\"upstream\":\"llama-3.1-8b\"},"
                + "\"principal\":{\"auth\":\"api_key\",\"id\":\"key:k1\",\"roles\":[\"analyst\",\"app\"]},"
                + "\"purpose\":\"support\",\"request_id\":\"req-1\",\"stream\":true,\"subjects\":[\"subj-1\",\"subj-2\"],"
                + "\"time\":\"2026-03-01T12:00:00.123Z\"}");
    }

    @Test
    void everyKindEncodesToCanonicalJsonWithItsKind() throws Exception {
        List<AuditEntry> entries = List.of(request("r"),
                CompleteEntry.of("r", T, 41, new Completion(200, null, Completion.Result.OK, 12, 40, 0), 85,
                        Map.of("EMAIL", 1)),
                RefusedEntry.of("r2", T, null, "198.51.100.1", "model.invoke", ModelRoute.alias("m"), 401,
                        "missing_credentials", null, Map.of()),
                RefusalWindowEntry.of(T, T.minusSeconds(10), T, 500, Map.of("invalid_api_key", 500L),
                        Map.of("198.51.100.1", 500L), 0),
                new AdminEntry("a1", T, ALICE, null, "policy.update", "policy:default",
                        "sha256:" + "ab".repeat(32), List.of(), "ok"));
        ObjectMapper json = new ObjectMapper();
        for (AuditEntry e : entries) {
            byte[] bytes = e.toCanonicalJson();
            assertThat(json.readTree(bytes).get("kind").asText()).isEqualTo(e.kind());
            assertThat(CanonicalJson.encode(json.readTree(bytes))).isEqualTo(bytes);
        }
    }

    @Test
    void everyTextFieldOfEveryRecordRefusesPromptShapedText() throws Exception {
        String prompt = "Patient John Smith, born 1970-01-01.\nSummarise the discharge letter:";
        List<Record> samples = List.of(request("r"), ALICE, new ModelRoute("m", "u", "b"),
                new PolicyDecision("permit", List.of("r1"), List.of("o1")), SentBody.of("b1", new byte[] {1, 2}),
                CompleteEntry.of("r", T, 1, new Completion(200, "x", Completion.Result.OK, 1, 1, 0), 1, Map.of("A", 1)),
                RefusedEntry.of("r", T, ALICE, "c", "a", ModelRoute.alias("m"), 403, "e", null, Map.of("A", 1)),
                RefusalWindowEntry.of(T, T, T, 1, Map.of("e", 1L), Map.of("c", 1L), 0),
                new AdminEntry("a", T, ALICE, "c", "key.create", "key:1", null, List.of("s"), "ok"));
        int checked = 0;
        for (Record sample : samples) {
            RecordComponent[] components = sample.getClass().getRecordComponents();
            Class<?>[] types = java.util.Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            var constructor = sample.getClass().getDeclaredConstructor(types);
            for (int i = 0; i < components.length; i++) {
                Object[] args = new Object[components.length];
                for (int j = 0; j < args.length; j++) args[j] = components[j].getAccessor().invoke(sample);
                Class<?> t = types[i];
                if (t == String.class) args[i] = prompt;
                else if (t == List.class) args[i] = List.of(prompt);
                else if (java.util.SortedMap.class.isAssignableFrom(t)) args[i] = new java.util.TreeMap<>(Map.of(prompt, 1L));
                else continue;
                checked++;
                final Object[] a = args;
                assertThatThrownBy(() -> {
                    try {
                        constructor.newInstance(a);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                }).as(sample.getClass().getSimpleName() + "." + components[i].getName())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("John");
            }
        }
        assertThat(checked).isGreaterThan(30);
        // the only field types are identifiers, labels, counts, times and the records checked above
        for (Class<?> kind : AuditEntry.class.getPermittedSubclasses()) {
            for (RecordComponent c : kind.getRecordComponents()) {
                assertThat(c.getType()).as(kind.getSimpleName() + "." + c.getName()).isIn(String.class, Instant.class,
                        long.class, int.class, boolean.class, List.class, java.util.SortedMap.class, Actor.class,
                        ModelRoute.class, PolicyDecision.class, SentBody.class);
            }
        }
    }

    @Test
    void pipelineExchangeFillsTheRequestAndCompleteEntries() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("model", "chat-small");
        var exchange = dev.bastion.testing.TestExchanges.exchange("req-9", T, 1_000_000_000L, "203.0.113.7", java.util.Map.of(),
                new dev.bastion.pipeline.RequestContext("support", List.of("subj-1"), "internal", null),
                new dev.bastion.pipeline.ModelRequest(dev.bastion.pipeline.Operation.CHAT, new byte[0], json,
                        "chat-small", true));
        RequestEntry accept = RequestEntry.builder(exchange).principal(ALICE).build();
        assertThat(accept.requestId()).isEqualTo("req-9");
        assertThat(accept.action()).isEqualTo("model.invoke");
        assertThat(accept.model().alias()).isEqualTo("chat-small");
        assertThat(accept.purpose()).isEqualTo("support");
        assertThat(accept.subjects()).containsExactly("subj-1");
        assertThat(accept.stream()).isTrue();

        exchange.put(AuditIndex.class, new AuditIndex(41));
        exchange.complete(new Completion(200, null, Completion.Result.OK, 10, 20, 1_250_000_000L));
        CompleteEntry done = CompleteEntry.of(exchange, T.plusMillis(250), Map.of());
        assertThat(done.acceptIndex()).isEqualTo(41);
        assertThat(done.latencyMillis()).isEqualTo(250);
        assertThat(done.outcome()).isEqualTo("ok");
        assertThat(AuditEntry.isValidLabel("customer-support")).isTrue();
        assertThat(AuditEntry.isValidLabel("customer support")).isFalse();
    }

    @Test
    void textShapedValuesAreRefusedWithoutEchoingThem() {
        String prompt = "Please summarise the patient record of John Smith";
        assertThatThrownBy(() -> RequestEntry.builder("r", T).principal(ALICE).action("a")
                .model(ModelRoute.alias("m")).purpose(prompt).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("John");
        assertThatThrownBy(() -> new ModelRoute("line\nbreak", null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Actor.of("x".repeat(600), List.of(), "jwt"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PolicyDecision("permit", List.of(prompt), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("John");
        assertThatThrownBy(() -> RequestEntry.builder("r", T).principal(ALICE).action("a").model(ModelRoute.alias("m"))
                .findings(Map.of(prompt, 1)).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("John");
        // certificate subjects contain spaces and are allowed as principal ids
        assertThat(Actor.of("cert:CN=svc, O=Example", List.of(), "mtls").id()).isEqualTo("cert:CN=svc, O=Example");
    }
}
