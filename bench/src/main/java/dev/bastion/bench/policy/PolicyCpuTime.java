package dev.bastion.bench.policy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The CPU time one thread spends per decision and per authorize-stage call, measured with {@link ThreadMXBean}
 * (time spent preempted on a busy machine is not counted, which wall-clock percentiles cannot separate). Reports
 * the best and the median of 15 rounds of 50 000 operations after a warm-up.
 * Run: {@code java -cp bench/target/bastion-bench.jar dev.bastion.bench.policy.PolicyCpuTime}
 */
public final class PolicyCpuTime {
    private static final int ROUNDS = 15;
    private static final int OPS = 50_000;
    static volatile Object sink;

    private PolicyCpuTime() {}

    public static void main(String[] args) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        PolicyDecisionBench decisions = new PolicyDecisionBench();
        decisions.setup();
        AuthorizeStageBench stage = new AuthorizeStageBench();
        stage.setup();
        Map<String, Supplier<Object>> cases = new LinkedHashMap<>();
        cases.put("decide200Rules", decisions::decide200Rules);
        cases.put("decideBaseline (1 rule)", decisions::decideBaseline);
        cases.put("authorizeInternal (stage, default policy)", stage::authorizeInternal);
        cases.put("authorizeConfidentialWithPurpose (stage)", stage::authorizeConfidentialWithPurpose);
        cases.put("decideOnly (default policy, engine alone)", stage::decideOnly);
        for (var c : cases.entrySet()) {
            for (int i = 0; i < 4 * OPS; i++) sink = c.getValue().get();
            double[] perOp = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                long start = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < OPS; i++) sink = c.getValue().get();
                perOp[r] = (mx.getCurrentThreadCpuTime() - start) / 1000.0 / OPS;
            }
            Arrays.sort(perOp);
            System.out.printf("%-45s best %6.2f µs  median %6.2f µs (CPU time per op)%n", c.getKey(), perOp[0],
                    perOp[ROUNDS / 2]);
        }
    }
}
