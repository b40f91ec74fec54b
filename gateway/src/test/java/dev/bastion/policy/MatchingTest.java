package dev.bastion.policy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MatchingTest {

    @Property(tries = 2000)
    void globMatchesExactlyWhatTheEquivalentRegexMatches(@ForAll("patterns") String pattern, @ForAll("subjects") String s) {
        String regex = Stream.of(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
        assertThat(Glob.of(pattern).matches(s)).isEqualTo(Pattern.compile(regex, Pattern.DOTALL).matcher(s).matches());
    }

    @Provide
    Arbitrary<String> patterns() { return Arbitraries.strings().withChars("ab*:").ofMaxLength(7); }

    @Provide
    Arbitrary<String> subjects() { return Arbitraries.strings().withChars("ab:").ofMaxLength(8); }

    @Test
    void cidrMatchesByPrefixAndNeverResolvesNames() {
        assertThat(Cidr.parse("10.0.0.0/8").contains("10.255.1.2")).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains("11.0.0.1")).isFalse();
        assertThat(Cidr.parse("192.168.1.128/25").contains("192.168.1.200")).isTrue();
        assertThat(Cidr.parse("192.168.1.128/25").contains("192.168.1.100")).isFalse();
        assertThat(Cidr.parse("2001:db8::/32").contains("2001:db8:1::1")).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains("10.0.0.1")).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains("8.8.8.8")).isTrue();
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/8").contains("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("fe80::1%eth0/64")).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void cidrParserNeverThrowsAnythingButIllegalArgument(@ForAll String cidr, @ForAll String ip) {
        try {
            Cidr.parse(cidr).contains(ip);
        } catch (IllegalArgumentException expected) {
            // the only allowed failure
        }
    }
}
