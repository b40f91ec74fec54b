package dev.bastion.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a host name into addresses. The gate asks once per connection and connects only to what it checked. */
@FunctionalInterface
public interface Resolver {
    /** The platform resolver (hosts file, DNS). */
    Resolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
