package dev.bastion.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * What kind of address a connection would go to. Everything that is not plainly a public unicast address needs a
 * declaration before the gate connects to it; some kinds are never connected at all.
 */
enum AddressClass {
    /** Globally routed unicast. */
    PUBLIC,
    /** 127.0.0.0/8, ::1. */
    LOOPBACK,
    /** RFC 1918, shared address space (100.64.0.0/10), unique local (fc00::/7). */
    PRIVATE,
    /** 169.254.0.0/16, fe80::/10. */
    LINK_LOCAL,
    /** Cloud instance-metadata endpoints: credentials live there, so only an exact declaration reaches them. */
    METADATA,
    /** Documentation, benchmarking, IETF-reserved and tunnelling ranges. */
    RESERVED,
    /** Unspecified, multicast, broadcast, 240.0.0.0/4: never a destination. */
    NEVER;

    private static final byte[] AWS_METADATA_V6 = InetAddress.ofLiteral("fd00:ec2::254").getAddress();

    /** True when a connection to this kind needs an explicit declaration of the address (or its network). */
    boolean special() { return this != PUBLIC; }

    static AddressClass of(InetAddress address) {
        byte[] a = address.getAddress();
        if (address instanceof Inet4Address) return ipv4(a, 0);
        return ipv6((Inet6Address) address, a);
    }

    private static AddressClass ipv4(byte[] a, int o) {
        int b0 = a[o] & 0xff, b1 = a[o + 1] & 0xff, b2 = a[o + 2] & 0xff, b3 = a[o + 3] & 0xff;
        if (b0 == 169 && b1 == 254 && ((b2 == 169 && b3 == 254) || (b2 == 170 && b3 == 2))) return METADATA;
        if (b0 == 100 && b1 == 100 && b2 == 100 && b3 == 200) return METADATA; // Alibaba Cloud
        if (b0 == 0 || b0 >= 224) return NEVER;                                // this network, multicast, 240/4
        if (b0 == 127) return LOOPBACK;
        if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) return PRIVATE;
        if (b0 == 100 && (b1 & 0xc0) == 64) return PRIVATE;                    // 100.64.0.0/10
        if (b0 == 169 && b1 == 254) return LINK_LOCAL;
        if (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) return RESERVED;      // IETF, TEST-NET-1
        if (b0 == 198 && (b1 & 0xfe) == 18) return RESERVED;                   // benchmarking
        if ((b0 == 198 && b1 == 51 && b2 == 100) || (b0 == 203 && b1 == 0 && b2 == 113)) return RESERVED;
        return PUBLIC;
    }

    private static AddressClass ipv6(Inet6Address address, byte[] a) {
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) return NEVER;
        if (address.isLoopbackAddress()) return LOOPBACK;
        int w0 = ((a[0] & 0xff) << 8) | (a[1] & 0xff);
        if (isZero(a, 0, 10) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) return ipv4(a, 12); // mapped
        if (isZero(a, 0, 12)) return RESERVED;                                 // IPv4-compatible (deprecated)
        if (w0 == 0x0064 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b && isZero(a, 4, 12)) {
            return worst(ipv4(a, 12), RESERVED);                               // NAT64 well-known prefix
        }
        if (w0 == 0x2002) return worst(ipv4(a, 2), RESERVED);                 // 6to4
        if (java.util.Arrays.equals(a, AWS_METADATA_V6)) return METADATA;
        if ((w0 & 0xfe00) == 0xfc00) return PRIVATE;                          // unique local
        if ((w0 & 0xffc0) == 0xfe80) return LINK_LOCAL;
        if (w0 == 0x2001 && (((a[2] & 0xff) << 8) | (a[3] & 0xff)) == 0x0db8) return RESERVED; // documentation
        if (w0 == 0x2001 && a[2] == 0 && a[3] == 0) return RESERVED;          // Teredo
        return PUBLIC;
    }

    /** An address embedded in a tunnelling prefix is at least as restricted as the tunnel itself. */
    private static AddressClass worst(AddressClass embedded, AddressClass tunnel) {
        return embedded == PUBLIC ? tunnel : embedded;
    }

    private static boolean isZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) if (a[i] != 0) return false;
        return true;
    }
}
