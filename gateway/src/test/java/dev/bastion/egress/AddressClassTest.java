package dev.bastion.egress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Every address kind the gate treats specially, including the IPv6 spellings of IPv4 ones. */
class AddressClassTest {

    @ParameterizedTest
    @CsvSource({
            "8.8.8.8, PUBLIC", "2606:4700::1111, PUBLIC", "172.32.0.1, PUBLIC", "100.128.0.1, PUBLIC",
            "127.0.0.1, LOOPBACK", "127.255.0.9, LOOPBACK", "::1, LOOPBACK", "::ffff:127.0.0.1, LOOPBACK",
            "10.0.0.1, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE", "192.168.1.1, PRIVATE",
            "100.64.0.1, PRIVATE", "fd12:3456::1, PRIVATE", "fc00::1, PRIVATE",
            "169.254.1.1, LINK_LOCAL", "fe80::1, LINK_LOCAL",
            "169.254.169.254, METADATA", "169.254.170.2, METADATA", "100.100.100.200, METADATA",
            "fd00:ec2::254, METADATA", "::ffff:169.254.169.254, METADATA", "64:ff9b::a9fe:a9fe, METADATA",
            "2002:a9fe:a9fe::1, METADATA", "64:ff9b::a00:1, PRIVATE", "64:ff9b::808:808, RESERVED",
            "192.0.2.1, RESERVED", "198.18.0.1, RESERVED", "198.51.100.1, RESERVED", "203.0.113.1, RESERVED",
            "2001:db8::1, RESERVED", "2001:0:4136:e378::1, RESERVED", "::0.0.0.2, RESERVED",
            "0.0.0.0, NEVER", "0.1.2.3, NEVER", "224.0.0.1, NEVER", "239.1.1.1, NEVER", "240.0.0.1, NEVER",
            "255.255.255.255, NEVER", "::, NEVER", "ff02::1, NEVER"
    })
    void classifiesEveryKindOfAddress(String literal, AddressClass expected) {
        assertThat(AddressClass.of(InetAddress.ofLiteral(literal))).isEqualTo(expected);
    }
}
