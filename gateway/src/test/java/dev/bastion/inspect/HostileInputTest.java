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
        for (int attempt = 0; attempt < 2 && ms > 100; attempt++) { // a second try absorbs one scheduling stall
            long t0 = System.nanoTime();
            r = INSPECTOR.inspect(text);
            ms = Math.min(ms, (System.nanoTime() - t0) / 1_000_000);
        }
        assertThat(r).isInstanceOf(Inspection.Found.class);
        // generous for a shared 2-core machine (about 1 MB/s); anything super-linear blows through it at 20 KiB
        assertThat(ms).isLessThan(250 + 25L * (text.length() / 1024 + 1));
        for (Finding f : ((Inspection.Found) r).findings()) assertThat(f.end()).isLessThanOrEqualTo(text.length());
    }

    @Property(tries = 300)
    void arbitraryUnicodeNeverThrows(@ForAll String text) {
        assertThat(INSPECTOR.inspect(text)).isInstanceOf(Inspection.Found.class);
    }

    @Test
    void pathologicalInputsScaleLinearly() {
        for (String unit : List.of("a@", "-----BEGIN RSA PRIVATE KEY-----", "1-2-", "eyJ.", "://a", "<PERSON_1",
                "password=", "ff:ff:", "Mr. Smith ", "Apt. 1 ", "aGVsbG8=")) {
            String small = unit.repeat(40_000 / unit.length());
            String big = small + small;
            for (int i = 0; i < 3; i++) INSPECTOR.inspect(big); // JIT warm-up, so that both sizes run compiled code
            // linear gives about 2x, quadratic 4x; a stall of the shared machine can spoil one attempt, never three
            long s = 0, b = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 3 && b >= (long) (3.2 * s) + 25_000_000L; attempt++) {
                s = best(small);
                b = best(big);
            }
            assertThat(b).as("time for 2x input of '%s'", unit).isLessThan((long) (3.2 * s) + 25_000_000L);
        }
    }

    private static long best(String text) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            assertThat(INSPECTOR.inspect(text)).isInstanceOf(Inspection.Found.class);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best;
    }
}
