package dev.bastion.bench.policy;

import dev.bastion.policy.Decision;
import dev.bastion.policy.Policy;
import dev.bastion.policy.PolicyRequest;
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

import java.util.concurrent.TimeUnit;

/**
 * One authorization decision over a 200-rule policy, single thread (goal: p99 ≤ 20 µs). SampleTime mode gives the
 * percentiles. Run: {@code java -jar bench/target/bastion-bench.jar PolicyDecisionBench -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
@Threads(1)
public class PolicyDecisionBench {
    Policy large;
    Policy baseline;
    PolicyRequest request;

    @Setup
    public void setup() {
        large = PolicyBenchData.policy(50);
        if (large.ruleCount() != 200) throw new IllegalStateException("expected 200 rules, got " + large.ruleCount());
        baseline = PolicyBenchData.baseline();
        request = PolicyBenchData.request();
        Decision d = large.decide(request);
        if (!d.allowed() || !d.ruleIds().equals(java.util.List.of("team-12-confidential"))
                || !d.obligationRuleIds().equals(java.util.List.of("team-12-obligations"))
                || d.obligations().maxTokens() != 1012) {
            throw new IllegalStateException("benchmark request must be allowed by team-12's rules: " + d);
        }
    }

    /** 200 rules: 8 conditions reach CEL for this request (5 forbids, 2 permits, 1 obligate). */
    @Benchmark
    public Decision decide200Rules() { return large.decide(request); }

    /** Baseline: one unconditional permit. */
    @Benchmark
    public Decision decideBaseline() { return baseline.decide(request); }
}
