package dev.bastion.policy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** The client address policy sees is an IP literal or nothing, for any input, without name resolution. */
class IpLiteralPropertiesTest {

    @Property(tries = 2000)
    void anyAddressGivesALiteralOrNothing(@ForAll("addresses") String address) {
        String ip = Authorization.ipLiteral(address);
        if (!ip.isEmpty()) assertThat(InetAddress.ofLiteral(ip).getHostAddress()).isEqualTo(ip);
    }

    @Provide
    Arbitrary<String> addresses() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdef.:%[]").ofMaxLength(45),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("127.0.0.1", "::1", "[::1]", "::ffff:10.0.0.1", "fe80::1%eth0", "localhost",
                        "example.com", "999.1.1.1", "1.2.3", ""));
    }
}
