package dev.bastion.policy;

import java.net.InetAddress;

/** An address block; parses literals only ({@link InetAddress#ofLiteral}), so nothing here ever resolves a name. */
record Cidr(byte[] network, int prefix) {

    private static final int CACHE_LIMIT = 4096;
    private static final java.util.concurrent.ConcurrentHashMap<String, Cidr> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    /** Parsed blocks are remembered (they are nearly always constants of the policy); the memory is bounded. */
    static Cidr cached(String cidr) {
        Cidr c = PARSED.get(cidr);
        if (c == null) {
            c = parse(cidr);
            if (PARSED.size() < CACHE_LIMIT) PARSED.put(cidr, c);
        }
        return c;
    }

    static Cidr parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("no prefix length");
        byte[] addr = literal(cidr.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length");
        }
        if (prefix < 0 || prefix > addr.length * 8) throw new IllegalArgumentException("bad prefix length");
        return new Cidr(addr, prefix);
    }

    boolean contains(String ip) {
        byte[] addr = literal(ip);
        if (addr.length != network.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (addr[i] != network[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return (addr[full] & mask) == (network[full] & mask);
    }

    private static byte[] literal(String s) {
        if (s.isEmpty() || s.length() > 64 || s.indexOf('%') >= 0) throw new IllegalArgumentException("bad address");
        try {
            return InetAddress.ofLiteral(s).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad address");
        }
    }
}
