package dev.bastion.inspect;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Detection is linear-time on hostile input: generated strings built from the prefixes each scanner reacts to
 * ("@", "://", "-----BEGIN ", "eyJ", digit groups, "<", "AKIA", "password=", base64 runs) never throw and stay
 * under a time bound per KiB; doubling a pathological input at most about doubles the time.
 */
class HostileInputTest {
    private static final Inspector INSPECTOR = Inspector.builder()
            .budget(Duration.ofSeconds(5), Duration.ofMillis(50)).build();
    private static final String[] PIECES = {"@", "a@", "@b.", "://", "http://", "www.", "-----BEGIN ", "PRIVATE KEY-----",
            "-----END ", "eyJ", "eyJhbGciOi.", ".", "-", " ", "\n", "1", "12", "123-", "4111 ", "+", "(", ")", "<", ">",
            "<PERSON_", "AKIA", "ghp_", "sk-", "password=", "token: ", "\"", "'", ":", "::", "a:", "ff:", "GB82", "DE",
            "Mr. ", "John ", "Smith ", "Street", "\u200b", "\u202e", "aGVsbG8gd29ybGQ=", "ignore previous ", "Bearer ",
            "MRN ", "zip ", "age ", "year-old", "January ", "5th", "/", "\u00e9", "\ud83d\ude00", "Apt. ", "Rue ", "utca "};

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.of(PIECES).list().ofMinSize(1).ofMaxSize(3000).map(l -> String.join("", l));
    }

    static {
        // compile the scanners before timing them
        String warm = String.join("", PIECES);
        for (int i = 0; i < 30; i++) INSPECTOR.inspect(warm.repeat(1 + i % 5));
    }

    @Property(tries = 200)
    void neverThrowsAndStaysUnderTimePerKb(@ForAll("hostile") String text) {
        Inspection r = null;
        long ms = Long.MAX_VALUE;
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int attempt = 0; attempt < 2 && ms > 100; attempt++) { // the thread's CPU: a stall of the machine is not counted
            long t0 = cpu.getCurrentThreadCpuTime();
            r = INSPECTOR.inspect(text);
            ms = Math.min(ms, (cpu.getCurrentThreadCpuTime() - t0) / 1_000_000);
        }
        assertThat(r).isInstanceOf(Inspection.Found.class);
        // a hang detector, not a speed test (about 1 MB/s of CPU); anything super-linear blows through it at 20 KiB
        assertThat(ms).isLessThan(250 + 25L * (text.length() / 1024 + 1));
        for (Finding f : ((Inspection.Found) r).findings()) assertThat(f.end()).isLessThanOrEqualTo(text.length());
    }

    @Property(tries = 300)
    void arbitraryUnicodeNeverThrows(@ForAll String text) {
        assertThat(INSPECTOR.inspect(text)).isInstanceOf(Inspection.Found.class);
    }

    @Test
    void pathologicalInputsScaleLinearly() {
        // a growth test, not a speed test: eight times the input costs about 8x if linear and 64x if quadratic, so
        // a bound of 24x separates the two whatever the machine's speed; the inspecting thread's CPU time is used
        // so that a stall of a shared machine does not count, and a noisy attempt may be repeated twice
        for (String unit : List.of("a@", "-----BEGIN RSA PRIVATE KEY-----", "1-2-", "eyJ.", "://a", "<PERSON_1",
                "password=", "ff:ff:", "Mr. Smith ", "Apt. 1 ", "aGVsbG8=")) {
            String small = unit.repeat(10_000 / unit.length());
            String big = small.repeat(8);
            for (int i = 0; i < 3; i++) INSPECTOR.inspect(big); // JIT warm-up, so that both sizes run compiled code
            long s = 0, b = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 3 && b >= 24 * s + 5_000_000L; attempt++) {
                s = leastCpu(small);
                b = leastCpu(big);
            }
            assertThat(b).as("CPU for 8x input of '%s' against %d ns for 1x", unit, s).isLessThan(24 * s + 5_000_000L);
        }
    }

    private static long leastCpu(String text) {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            assertThat(INSPECTOR.inspect(text)).isInstanceOf(Inspection.Found.class);
            least = Math.min(least, cpu.getCurrentThreadCpuTime() - t0);
        }
        return least;
    }
}
