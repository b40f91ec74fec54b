package dev.bastion.identity;

import dev.bastion.testing.ManualClock;
import com.nimbusds.jose.jwk.RSAKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Any input gives a typed result, never an exception; a tampered token never speaks for someone else. */
class JwtFuzzTest {
    private static final class Fixture {
        static final RSAKey KEY = Tokens.rsa("k1");
        static final ManualClock CLOCK = new ManualClock(Instant.parse("2025-01-31T09:00:00Z"));
        static final JwtVerifier VERIFIER;
        static final String TOKEN;

        static {
            try {
                Path jwks = Files.createTempFile("jwks", ".json");
                jwks.toFile().deleteOnExit();
                Files.writeString(jwks, Tokens.jwks(KEY));
                VERIFIER = new JwtVerifier(JwtConfig.of("https://idp.example", "bastion"), JwksSource.file(jwks), CLOCK);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long now = CLOCK.instant().getEpochSecond();
            TOKEN = Tokens.mint(Tokens.header("RS256", "k1"), Map.of("iss", "https://idp.example", "aud", "bastion",
                    "sub", "alice", "exp", now + 600, "roles", List.of("developer")), Tokens.rs256(KEY));
        }
    }

    @Property(tries = 1000)
    void arbitraryInputIsRejectedWithoutThrowing(@ForAll("tokenish") String input) {
        assertThat(Fixture.VERIFIER.verify(input)).isInstanceOf(JwtResult.Rejected.class);
    }

    @Property(tries = 1000)
    void aTamperedTokenNeverVerifiesAsSomeoneElse(@ForAll @IntRange(min = 0, max = 2000) int position,
                                                   @ForAll("base64urlChar") char replacement) {
        String original = Fixture.TOKEN;
        int at = position % original.length();
        String tampered = original.substring(0, at) + replacement + original.substring(at + 1);
        var result = Fixture.VERIFIER.verify(tampered);
        if (result instanceof JwtResult.Verified v) {
            // base64url's unused trailing bits can change without changing the bytes; the meaning must not change
            var reference = (JwtResult.Verified) Fixture.VERIFIER.verify(original);
            assertThat(v.principal()).isEqualTo(reference.principal());
        }
    }

    @Provide
    Arbitrary<String> tokenish() {
        var part = Arbitraries.strings().withChars("ABCDEFabcdef0123456789-_=+/.eyJ{}\"").ofMaxLength(60);
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(100),
                part.list().ofMinSize(1).ofMaxSize(6).map(l -> String.join(".", l)),
                Arbitraries.of(Tokens.b64("{\"alg\":\"RS256\",\"kid\":\"k1\"}") + "." + Tokens.b64("{}") + ".",
                        Tokens.b64("{\"alg\":\"none\"}") + "." + Tokens.b64("{\"sub\":\"a\"}") + ".",
                        Tokens.b64("{\"alg\":\"RS256\",\"kid\":\"k1\",\"jwk\":5}") + ".e30.AAAA"));
    }

    @Provide
    Arbitrary<Character> base64urlChar() {
        return Arbitraries.chars().with("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=".toCharArray());
    }
}
