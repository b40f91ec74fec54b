package dev.bastion.bench.attest;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * CPU time of one thread per full verification of each real vector (the same set-up as
 * {@link AttestationVerifyBench}), warm and cold: unlike wall time it hardly moves when other processes share the
 * cores, so it is the figure to hold against the 20 ms goal on a busy machine. Prints median and p90 of rounds of
 * {@code n} verifications after a warm-up. Run from the repository root:
 * {@code java -cp bench/target/bastion-bench.jar dev.bastion.bench.attest.AttestationVerifyCpu [rounds]}.
 */
public final class AttestationVerifyCpu {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private AttestationVerifyCpu() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        for (String collateral : new String[] {"warm", "cold"}) {
            AttestationVerifyBench b = new AttestationVerifyBench();
            b.collateral = collateral;
            b.setup();
            report("SEV-SNP", collateral, rounds, b::snp);
            report("TDX v4", collateral, rounds, b::tdx);
            report("NVIDIA H100", collateral, rounds, b::gpu);
        }
    }

    private static void report(String what, String collateral, int rounds, Supplier<?> verify) {
        int n = 20;
        for (int i = 0; i < 10 * n; i++) verify.get();   // warm-up: JIT
        double[] perCall = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) verify.get();
            perCall[r] = (CPU.getCurrentThreadCpuTime() - start) / 1e6 / n;
        }
        Arrays.sort(perCall);
        System.out.printf("%-12s %-5s CPU ms per verification: median %.2f, p90 %.2f, min %.2f (%d rounds of %d)%n",
                what, collateral, perCall[rounds / 2], perCall[(int) (rounds * 0.9)], perCall[0], rounds, n);
    }
}
