package dev.bastion.egress;

import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One entry of the egress allow-list: a host name (exact, or {@code *.example.com} for any name below it) or an
 * address block, each for one port or any port ({@code port == 0}). A host entry lets the gate connect to that name
 * when it resolves to public addresses; an address block also lets names resolve into it, which is how private,
 * loopback and link-local addresses are declared.
 */
public sealed interface AllowEntry {
    Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    int port();

    /** How the manifest and error messages show this entry. */
    String describe();

    /** A host name or {@code *.}suffix (lower case, no trailing dot). */
    record Host(String pattern, int port) implements AllowEntry {
        public Host {
            pattern = pattern.toLowerCase(Locale.ROOT);
            String name = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
            if (name.isEmpty() || name.length() > 253 || name.endsWith(".")) {
                throw new IllegalArgumentException("not a host name");
            }
            String[] labels = name.split("\\.", -1);
            for (String label : labels) {
                if (!LABEL.matcher(label).matches()) throw new IllegalArgumentException("not a host name");
            }
            // no top-level domain is all digits: this is an address literal, which belongs in a network entry
            if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("an address, not a host name (declare it as a network)");
            }
            checkPort(port);
        }

        boolean matches(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            if (!pattern.startsWith("*.")) return h.equals(pattern);
            return h.endsWith(pattern.substring(1)) && h.length() > pattern.length() - 1;
        }

        @Override
        public String describe() { return pattern + (port == 0 ? "" : ":" + port); }
    }

    /** An address block in CIDR notation; a bare address means a block of one. */
    record Network(byte[] base, int prefix, int port) implements AllowEntry {
        public Network {
            base = base.clone();
            if (base.length != 4 && base.length != 16) throw new IllegalArgumentException("not an address");
            if (prefix < 0 || prefix > base.length * 8) throw new IllegalArgumentException("bad prefix length");
            checkPort(port);
        }

        /** {@code 10.0.0.0/8}, {@code fd00::/8}, {@code 192.0.2.7} (a block of one). Literals only, no lookups. */
        public static Network parse(String cidr, int port) {
            int slash = cidr.indexOf('/');
            String literal = slash < 0 ? cidr : cidr.substring(0, slash);
            byte[] base;
            try {
                if (literal.isEmpty() || literal.indexOf('%') >= 0) throw new IllegalArgumentException();
                base = InetAddress.ofLiteral(literal).getAddress();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not an address block (e.g. 10.0.0.0/8)");
            }
            int prefix = base.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad prefix length");
                }
            }
            return new Network(base, prefix, port);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != base.length) return false;
            int full = prefix / 8;
            for (int i = 0; i < full; i++) if (a[i] != base[i]) return false;
            int rest = prefix % 8;
            if (rest == 0) return true;
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (base[full] & mask);
        }

        @Override
        public byte[] base() { return base.clone(); }

        /** A block of exactly one address (how a metadata endpoint must be declared). */
        boolean single() { return prefix == base.length * 8; }

        @Override
        public String describe() {
            try {
                String a = InetAddress.getByAddress(base).getHostAddress();
                String net = single() ? a : a + "/" + prefix;
                return port == 0 ? net : (base.length == 16 ? "[" + net + "]" : net) + ":" + port;
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e); // 4 or 16 bytes always make an address
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Network n && n.prefix == prefix && n.port == port && java.util.Arrays.equals(n.base, base);
        }

        @Override
        public int hashCode() { return java.util.Arrays.hashCode(base) * 31 + prefix * 7 + port; }

        @Override
        public String toString() { return "Network[" + describe() + "]"; }
    }

    default boolean portMatches(int p) { return port() == 0 || port() == p; }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 1-65535 (0 = any)");
    }
}
