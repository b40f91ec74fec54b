package dev.bastion.inspect;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Speed-motivated rewrites answer exactly as the plain code they replace: the one-pass search for preceding context
 * words ({@link PrecedingWords}, as the phone detector uses it) agrees with one bounded case-insensitive search per word, on text built from those words,
 * their case variants and the non-ASCII chars that lower-case to ASCII letters (İ → i, K → k).
 */
class FastPathEquivalenceTest {
    private static final String[] PIECES = {"phone", "PHONE", "Tel", "tel:", "ph:", "ph.", "Ph", "call", "cal", "fax",
            "text me", "text  me", "sms", "whatsapp", "mobile", "landline", "hotline", "number", "numbe", "office",
            "messages to", "reach", "\u0130", "\u212a", "\u017f", " ", "\n", "1", "+", ".", "x", "e"};

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.of(PIECES).list().ofMaxSize(24).map(l -> String.join("", l));
    }

    @Property(tries = 3000)
    void phoneContextSearchAgreesWithPerWordSearch(@ForAll("texts") String s, @ForAll("windows") int window) {
        for (int pos = 0; pos <= s.length(); pos++) {
            assertThat(PhoneDetector.BEFORE_WORDS.before(s, pos, window))
                    .as("pos %d window %d", pos, window)
                    .isEqualTo(Chars.precededBy(s, pos, window, PhoneDetector.BEFORE));
        }
    }

    private static final String[] SECRET_PIECES = {"password", "api_key", "token", "tokens", "secret", "auth", "Bearer",
            "bearer", "Basic", "authorization", "is", "IS", "i", "word", "x", "AKIAIOSFODNN7EXAMPLE", "sk-", "ghp_", "eyJ",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl", "0123456789abcdef", " ", " ", "  ", "\n", "\t",
            "=", ":", ":=", "=>", "://", "\"", "'", "`", "-", ".", "_", ",", ";", "@", "/", "\u00e9", "\u2019", "\u00a0",
            "-----BEGIN RSA PRIVATE KEY-----", "-----END"};

    @Provide
    Arbitrary<String> secretTexts() {
        return Arbitraries.of(SECRET_PIECES).list().ofMaxSize(30).map(l -> String.join("", l));
    }

    @Property(tries = 5000)
    void secretQuietWordShortcutAgreesWithGeneralSteps(@ForAll("secretTexts") String s) {
        assertThat(findings(new SecretDetector(true), s)).isEqualTo(findings(new SecretDetector(false), s));
    }

    private static java.util.List<Finding> findings(Detector d, String s) {
        java.util.List<Finding> out = new java.util.ArrayList<>();
        d.detect(new Text(s), out);
        return out;
    }

    @Provide
    Arbitrary<Integer> windows() {
        return Arbitraries.integers().between(0, 40);
    }
}
