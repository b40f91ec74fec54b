package dev.bastion.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.Stage;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.testing.TestExchanges;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The authorize stage over real exchanges and real policies: what it decides, what it keeps, what it enforces. */
class AuthorizeStageTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Resource EU = Resource.model("chat", Map.of(), "standin", "eu-west", "confidential");
    static final Resource US = Resource.model("chat", Map.of(), "standin-us", "us-east", "confidential");

    static final String CAPPED = """
            version: 1
            classifications: [public, internal, confidential]
            default_classification: internal
            rules:
              - id: dev
                effect: permit
                roles: [developer]
                actions: [model.invoke, model.embed]
              - id: eu-capped
                effect: obligate
                roles: ["*"]
                actions: [model.invoke, model.embed]
                obligations: {regions: [eu-west], max_tokens: 64}
              - id: no-people-in-prompts
                effect: forbid
                roles: ["*"]
                actions: [model.invoke]
                when: '"PERSON" in request.findings && request.findings["PERSON"] > 0'
              - id: office-network-only
                effect: forbid
                roles: ["*"]
                actions: [model.embed]
                when: '!ip_in_cidr(request.client_ip, "10.0.0.0/8")'
            """;

    static Principal developer() {
        return new Principal("key:dev", Principal.Type.USER, java.util.Set.of("developer"), Map.of(),
                Principal.AuthMethod.API_KEY, java.util.Set.of());
    }

    static Exchange exchange(Operation op, String body, String client, RequestContext ctx) throws Exception {
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        ObjectNode json = (ObjectNode) JSON.readTree(raw);
        var request = new ModelRequest(op, raw, json, json.path("model").asText(), false);
        Exchange e = TestExchanges.exchange("r1", Requests.T, 0, client, Map.of(), ctx, request);
        e.put(Principal.class, developer());
        return e;
    }

    /** The authorize stage on an exchange whose route stage resolved {@code routed} (null: nothing resolved). */
    static Stage stage(String policy, Resource routed, Map<String, Integer> findings) {
        AuthorizeStage authorize = new AuthorizeStage(PolicyHolder.of(Requests.policy(policy)), e -> findings);
        return new Stage() {
            @Override
            public String name() { return "routed-then-authorize"; }

            @Override
            public Outcome onRequest(Exchange e) {
                if (routed != null) e.put(Resource.class, routed);
                return authorize.onRequest(e);
            }
        };
    }

    @Test
    void anAllowedDecisionIsKeptAndTheTokenCapIsWrittenIntoTheRequest() throws Exception {
        Exchange e = exchange(Operation.CHAT, "{\"model\":\"chat\",\"messages\":[],\"max_tokens\":1000}", "10.1.2.3",
                RequestContext.EMPTY);
        assertThat(stage(CAPPED, EU, Map.of()).onRequest(e)).isInstanceOf(Outcome.Continue.class);
        Decision d = e.get(Decision.class);
        assertThat(d.allowed()).isTrue();
        assertThat(d.ruleIds()).containsExactly("dev");
        assertThat(d.obligationRuleIds()).containsExactly("eu-capped");
        assertThat(e.get(ModelRequest.class).json().path("max_tokens").asInt()).isEqualTo(64);
        assertThat(e.get(ModelRequest.class).modified()).isTrue();
    }

    @Test
    void theCapIsAddedWhenAbsentAndSmallerRequestsAreLeftAlone() throws Exception {
        Exchange absent = exchange(Operation.CHAT, "{\"model\":\"chat\",\"messages\":[]}", "", RequestContext.EMPTY);
        stage(CAPPED, EU, Map.of()).onRequest(absent);
        assertThat(absent.get(ModelRequest.class).json().path("max_tokens").asInt()).isEqualTo(64);

        Exchange smaller = exchange(Operation.CHAT, "{\"model\":\"chat\",\"messages\":[],\"max_completion_tokens\":10}",
                "", RequestContext.EMPTY);
        stage(CAPPED, EU, Map.of()).onRequest(smaller);
        assertThat(smaller.get(ModelRequest.class).json().path("max_completion_tokens").asInt()).isEqualTo(10);
        assertThat(smaller.get(ModelRequest.class).json().has("max_tokens")).isFalse();
        assertThat(smaller.get(ModelRequest.class).modified()).as("bytes forwarded unchanged").isFalse();

        Exchange both = exchange(Operation.COMPLETION,
                "{\"model\":\"chat\",\"prompt\":\"x\",\"max_tokens\":5,\"max_completion_tokens\":500}", "", RequestContext.EMPTY);
        stage(CAPPED, EU, Map.of()).onRequest(both);
        assertThat(both.get(ModelRequest.class).json().path("max_tokens").asInt()).isEqualTo(5);
        assertThat(both.get(ModelRequest.class).json().path("max_completion_tokens").asInt()).isEqualTo(64);
    }

    @Test
    void aBackendOutsideTheAllowedRegionsIsRefusedAfterAnAllowedDecision() throws Exception {
        Exchange e = exchange(Operation.CHAT, "{\"model\":\"chat\",\"messages\":[]}", "", RequestContext.EMPTY);
        Outcome o = stage(CAPPED, US, Map.of()).onRequest(e);
        assertThat(o).isInstanceOfSatisfying(Outcome.Deny.class,
                d -> assertThat(d.problem().code()).isEqualTo(ErrorCode.REGION_NOT_ALLOWED));
        assertThat(e.get(ModelRequest.class).modified()).isFalse();
    }

    @Test
    void aDenialCarriesTheStableCodeAndRuleIdsAndIsKeptForTheAuditRecord() throws Exception {
        Exchange e = exchange(Operation.CHAT, "{\"model\":\"chat\",\"messages\":[]}", "", RequestContext.EMPTY);
        Outcome o = stage(CAPPED, EU, Map.of("PERSON", 2)).onRequest(e);
        assertThat(o).isInstanceOfSatisfying(Outcome.Deny.class, d -> {
            assertThat(d.problem().code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
            assertThat(d.problem().details()).containsEntry("rule_ids", "no-people-in-prompts");
            assertThat(d.problem().message()).doesNotContain("request.findings");
        });
        assertThat(e.get(Decision.class).reason()).isEqualTo(Reason.FORBIDDEN);
    }

    @Test
    void theClientAddressReachesConditionsAsAnAddressLiteral() throws Exception {
        String embed = "{\"model\":\"chat\",\"input\":\"x\"}";
        assertThat(stage(CAPPED, EU, Map.of()).onRequest(exchange(Operation.EMBEDDING, embed, "10.9.9.9",
                RequestContext.EMPTY))).isInstanceOf(Outcome.Continue.class);
        assertThat(stage(CAPPED, EU, Map.of()).onRequest(exchange(Operation.EMBEDDING, embed, "::ffff:10.9.9.9",
                RequestContext.EMPTY))).as("IPv4-mapped IPv6").isInstanceOf(Outcome.Continue.class);
        for (String outside : List.of("192.168.1.1", "evil.example", "")) {
            assertThat(stage(CAPPED, EU, Map.of()).onRequest(exchange(Operation.EMBEDDING, embed, outside,
                    RequestContext.EMPTY))).as(outside).isInstanceOf(Outcome.Deny.class);
        }
        assertThat(Authorization.ipLiteral("[::1]")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(Authorization.ipLiteral("fe80::1%eth0")).isEqualTo("fe80:0:0:0:0:0:0:1");
        assertThat(Authorization.ipLiteral("localhost")).as("never a DNS lookup").isEmpty();
    }

    @Test
    void theDeclaredContextDecides() throws Exception {
        String purposeBound = """
                version: 1
                purposes: [support]
                rules:
                  - {id: support-only, effect: permit, roles: [developer], actions: [model.invoke], purposes: [support]}
                """;
        String body = "{\"model\":\"chat\",\"messages\":[]}";
        Exchange none = exchange(Operation.CHAT, body, "", RequestContext.EMPTY);
        assertThat(((Outcome.Deny) stage(purposeBound, EU, Map.of()).onRequest(none)).problem().code())
                .isEqualTo(ErrorCode.PURPOSE_REQUIRED);
        Exchange declared = exchange(Operation.CHAT, body, "", new RequestContext("support", List.of(), null, null));
        assertThat(stage(purposeBound, EU, Map.of()).onRequest(declared)).isInstanceOf(Outcome.Continue.class);
    }

    @Test
    void withoutAPrincipalOrARouteNothingIsAuthorized() throws Exception {
        Exchange noRoute = exchange(Operation.CHAT, "{\"model\":\"chat\",\"messages\":[]}", "", RequestContext.EMPTY);
        assertThat(stage(CAPPED, null, Map.of()).onRequest(noRoute)).isInstanceOf(Outcome.Deny.class);
        byte[] raw = "{\"model\":\"chat\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        Exchange anonymous = TestExchanges.exchange("r2", Requests.T, 0, "", Map.of(), RequestContext.EMPTY,
                new ModelRequest(Operation.CHAT, raw, (ObjectNode) JSON.readTree(raw), "chat", false));
        assertThat(stage(CAPPED, EU, Map.of()).onRequest(anonymous)).isInstanceOf(Outcome.Deny.class);
    }

    @Test
    void theCredentialsScopeIsDecidedBeforeAnUnknownAliasIsReportedMissing() throws Exception {
        String open = """
                version: 1
                rules:
                  - {id: all, effect: permit, roles: ["*"], actions: [model.invoke]}
                """;
        Exchange unscoped = exchange(Operation.CHAT, "{\"model\":\"nope\",\"messages\":[]}", "", RequestContext.EMPTY);
        Outcome missing = stage(open, Resource.unknownModel("nope"), Map.of()).onRequest(unscoped);
        assertThat(((Outcome.Deny) missing).problem().code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
        // a key scoped to other models learns nothing: not even whether the alias exists
        Exchange scoped = exchange(Operation.CHAT, "{\"model\":\"nope\",\"messages\":[]}", "", RequestContext.EMPTY);
        scoped.put(Principal.class, new Principal("key:s", Principal.Type.SERVICE, java.util.Set.of("developer"),
                Map.of(), Principal.AuthMethod.API_KEY, java.util.Set.of("chat")));
        for (Resource r : List.of(Resource.unknownModel("nope"), Resource.model("nope", Map.of(), "b", "eu", "internal"))) {
            Outcome o = stage(open, r, Map.of()).onRequest(scoped);
            assertThat(((Outcome.Deny) o).problem().code()).as(r.toString()).isEqualTo(ErrorCode.MODEL_NOT_ALLOWED);
        }
        assertThat(scoped.get(Decision.class).reason()).isEqualTo(Reason.MODEL_NOT_IN_SCOPE);
    }
}
