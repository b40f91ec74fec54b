package dev.bastion.bench.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.identity.Principal;
import dev.bastion.pipeline.Exchange;
import dev.bastion.pipeline.ModelRequest;
import dev.bastion.pipeline.Operation;
import dev.bastion.pipeline.Outcome;
import dev.bastion.pipeline.RequestContext;
import dev.bastion.pipeline.RequestHeaders;
import dev.bastion.policy.AuthorizeStage;
import dev.bastion.policy.Decision;
import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyHolder;
import dev.bastion.policy.PolicyRequest;
import dev.bastion.policy.RequestFacts;
import dev.bastion.policy.Resource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the authorize stage adds to a model request under the shipped default policy: request facts from the
 * exchange, the decision (forbid, permit and obligate rules with their CEL conditions), the region check.
 * {@code decideOnly} is the bare engine call on a prepared request, so the difference is the stage's own glue.
 * Run: {@code java -jar bench/target/bastion-bench.jar AuthorizeStageBench -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
@Threads(1)
public class AuthorizeStageBench {
    AuthorizeStage stage;
    PolicyHolder policies;
    Exchange internal;
    Exchange confidential;
    PolicyRequest prepared;

    @Setup
    public void setup() throws Exception {
        policies = PolicyHolder.of(Policy.loadDefault());
        Resource chat = Resource.model("chat", Map.of("family", "llama"), "vllm-eu", "eu-west", "confidential");
        stage = new AuthorizeStage(policies, e -> Map.of());
        Principal developer = new Principal("key:abcdefghijkl", Principal.Type.USER, Set.of("developer"),
                Map.of("team", "payments"), Principal.AuthMethod.API_KEY, Set.of());
        internal = exchange(developer, RequestContext.EMPTY, chat);
        confidential = exchange(developer, new RequestContext("support", List.of(), "confidential", null), chat);
        prepared = new PolicyRequest(developer, dev.bastion.policy.Action.MODEL_INVOKE, chat,
                new RequestFacts("", List.of(), "", "10.0.0.7", Instant.now(), Map.of()));
        for (Exchange e : List.of(internal, confidential)) {
            if (!(stage.onRequest(e) instanceof Outcome.Continue)) throw new IllegalStateException("must be allowed");
        }
        if (!policies.decide(prepared).allowed()) throw new IllegalStateException("must be allowed");
    }

    private static Exchange exchange(Principal p, RequestContext ctx, Resource routed) throws Exception {
        byte[] raw = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(raw);
        Exchange e = new Exchange("req", Instant.now(), 0, "10.0.0.7", RequestHeaders.NONE, null, Operation.CHAT.action(), max -> raw);
        e.put(RequestContext.class, ctx);
        e.put(ModelRequest.class, new ModelRequest(Operation.CHAT, raw, json, "chat", false));
        e.put(Principal.class, p);
        e.put(Resource.class, routed);
        return e;
    }

    /** Internal data (the default classification): developer-models permits, two forbids and one obligate checked. */
    @Benchmark
    public Outcome authorizeInternal() { return stage.onRequest(internal); }

    /** Confidential data with a declared purpose: the purpose-bound permit decides. */
    @Benchmark
    public Outcome authorizeConfidentialWithPurpose() { return stage.onRequest(confidential); }

    /** Baseline: the engine alone on a prepared request. */
    @Benchmark
    public Decision decideOnly() { return policies.decide(prepared); }
}
