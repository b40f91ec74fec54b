package dev.bastion.egress;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The one place Bastion opens network connections. A connection is made only to a host and port that is declared
 * (in {@link Mode#DECLARED} mode) or on the allow-list; a host name is resolved once, every address it yields is
 * checked, and the socket connects to the checked address itself — so a DNS answer that changes between check and
 * use (rebinding) changes nothing. Private, loopback, link-local and reserved addresses need a declaration of the
 * address (a literal in the declared URL, or a network entry); instance-metadata addresses need an entry naming
 * exactly that address; unspecified, multicast and broadcast addresses are never connected. Names that are not
 * allowed are not even resolved (a DNS query is itself a packet that leaves). Redirects are the callers' business:
 * {@link EgressHttp} never follows them.
 */
public final class EgressGate {
    private static final Logger LOG = Logger.getLogger(EgressGate.class.getName());

    /** Where the allow-list comes from. */
    public enum Mode {
        /** Every destination the configuration declares (backend URLs, identity providers, …) plus the allow-list. */
        DECLARED,
        /** The allow-list alone: a declared destination outside it is never connected. Fixed at start. */
        ALLOW_LIST
    }

    private final Mode mode;
    private final List<AllowEntry.Host> hosts = new ArrayList<>();
    private final List<AllowEntry.Network> networks = new ArrayList<>();
    private final List<AllowEntry> allow;
    private final Resolver resolver;
    /** Declared destinations with how many owners declared each (a backend replaced on reload overlaps its successor). */
    private final ConcurrentHashMap<Destination, Integer> declared = new ConcurrentHashMap<>();
    private final List<Consumer<EgressManifest>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong version = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public EgressGate(Mode mode, List<AllowEntry> allow, Resolver resolver) {
        this.mode = mode;
        this.allow = List.copyOf(allow);
        this.resolver = resolver;
        for (AllowEntry e : this.allow) {
            switch (e) {
                case AllowEntry.Host h -> hosts.add(h);
                case AllowEntry.Network n -> networks.add(n);
            }
        }
    }

    /** Declared mode, no extra entries, the platform resolver: destinations are what callers declare. */
    public static EgressGate declaredOnly() { return new EgressGate(Mode.DECLARED, List.of(), Resolver.SYSTEM); }

    public Mode mode() { return mode; }

    /**
     * Records a destination this server may reach (it goes into the egress manifest). In {@link Mode#DECLARED}
     * mode this also allows it; in {@link Mode#ALLOW_LIST} mode it is allowed only if the allow-list covers it, and a
     * warning says so at once when it cannot.
     */
    public Destination declare(Destination d) {
        if (declared.merge(d, 1, Integer::sum) == 1) {
            if (mode == Mode.ALLOW_LIST && !allowListNames(d) && literal(d.host()) == null) {
                LOG.warning("egress: " + d.address() + " (" + d.purpose() + ") is declared but not on the allow-list;"
                        + " connections to it will be refused");
            }
            changed();
        }
        return d;
    }

    /** Undoes one {@link #declare} (its owner closed, e.g. a backend removed by a configuration reload). */
    public void withdraw(Destination d) {
        boolean[] gone = {false};
        declared.computeIfPresent(d, (k, n) -> {
            if (n > 1) return n - 1;
            gone[0] = true;
            return null;
        });
        if (gone[0]) changed();
    }

    /** Told of every manifest change after start (declarations added or withdrawn). */
    public void onChange(Consumer<EgressManifest> listener) { listeners.add(listener); }

    /** Every destination declared so far and the allow-list, for the audit log and {@code /bastion/v1/egress}. */
    public EgressManifest manifest() {
        List<EgressManifest.Line> lines = new ArrayList<>();
        for (Destination d : declared.keySet()) lines.add(new EgressManifest.Line(d, mode == Mode.DECLARED || permittedStatically(d)));
        return EgressManifest.of(version.get(), mode, allow, lines);
    }

    /** Connections refused since start. */
    public long refusedCount() { return refused.get(); }

    /**
     * A plain TCP connection to {@code d}, or {@link EgressDeniedException} before any packet is sent. Each checked
     * address is tried in turn within {@code timeout}.
     */
    public Socket connect(Destination d, Duration timeout) throws IOException {
        List<InetAddress> addresses = admit(d);
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        for (InetAddress a : addresses) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            Socket s = new Socket(Proxy.NO_PROXY); // never a JVM-wide SOCKS proxy: the checked address is the peer
            try {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(a, d.port()), (int) Math.min(Integer.MAX_VALUE, left));
                return s;
            } catch (IOException e) {
                s.close();
                last = e;
            }
        }
        throw last;
    }

    /** {@link #connect}, then a TLS handshake (CA, pins, host name and SNI for {@code d.host()}) within the timeout. */
    public SSLSocket connectTls(Destination d, Duration timeout, TlsLayer tls) throws IOException {
        Socket plain = connect(d, timeout);
        try {
            plain.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            SSLSocket s = tls.wrap(plain, d.host(), d.port());
            s.setSoTimeout(0);
            return s;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** The addresses a connection to {@code d} may use, resolved once; throws when none may be used. */
    List<InetAddress> admit(Destination d) throws IOException {
        InetAddress literal = literal(d.host());
        boolean named = nameAllowed(d);
        if (literal == null && !named) throw refuse(d, EgressDeniedException.Reason.NOT_ALLOWED, "not declared");
        InetAddress[] resolved;
        if (literal != null) {
            resolved = new InetAddress[] {literal};
        } else {
            try {
                resolved = resolver.resolve(d.host());
            } catch (UnknownHostException e) {
                throw new UnknownHostException("egress to " + d.address() + " (" + d.purpose() + "): name does not resolve");
            }
        }
        List<InetAddress> usable = new ArrayList<>(resolved.length);
        EgressDeniedException first = null;
        for (InetAddress a : resolved) {
            EgressDeniedException why = check(d, literal != null, named, a);
            if (why == null) usable.add(a);
            else if (first == null) first = why;
        }
        if (usable.isEmpty()) {
            if (first == null) throw new UnknownHostException("egress to " + d.address() + ": no address");
            refused.incrementAndGet();
            LOG.warning(first.getMessage());
            throw first;
        }
        return usable;
    }

    private EgressDeniedException check(Destination d, boolean isLiteral, boolean named, InetAddress a) {
        AddressClass kind = AddressClass.of(a);
        AllowEntry.Network net = covering(a, d.port());
        String shown = a.getHostAddress();
        if (kind == AddressClass.NEVER) {
            return denial(d, EgressDeniedException.Reason.NEVER, shown + " is never a destination");
        }
        if (!named && net == null) return denial(d, EgressDeniedException.Reason.NOT_ALLOWED, "not declared");
        if (kind == AddressClass.METADATA) {
            return net != null && net.single() ? null : denial(d, EgressDeniedException.Reason.METADATA,
                    shown + " is an instance-metadata address; only an egress.allow entry naming it exactly allows it");
        }
        if (!kind.special() || net != null) return null;
        if (isLiteral && named) return null; // the declaration names this very address
        if (kind == AddressClass.LOOPBACK && named && d.host().equals("localhost")) return null;
        return denial(d, EgressDeniedException.Reason.ADDRESS_NOT_DECLARED, "resolves to " + shown + " ("
                + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                + "), which no egress.allow network covers");
    }

    private EgressDeniedException denial(Destination d, EgressDeniedException.Reason reason, String why) {
        return new EgressDeniedException(d, reason, why);
    }

    private EgressDeniedException refuse(Destination d, EgressDeniedException.Reason reason, String why) {
        refused.incrementAndGet();
        EgressDeniedException e = denial(d, reason, why);
        LOG.warning(e.getMessage());
        return e;
    }

    /** Whether the host:port itself is allowed (before looking at addresses). */
    private boolean nameAllowed(Destination d) {
        if (allowListNames(d)) return true;
        if (mode != Mode.DECLARED) return false;
        for (Destination x : declared.keySet()) if (x.sameEndpoint(d.host(), d.port())) return true;
        return false;
    }

    private boolean allowListNames(Destination d) {
        for (AllowEntry.Host h : hosts) if (h.portMatches(d.port()) && h.matches(d.host())) return true;
        return false;
    }

    /** For the manifest: allowed without looking at DNS (a name entry, or a literal inside a network entry). */
    private boolean permittedStatically(Destination d) {
        if (allowListNames(d)) return true;
        InetAddress literal = literal(d.host());
        return literal != null && covering(literal, d.port()) != null;
    }

    private AllowEntry.Network covering(InetAddress a, int port) {
        for (AllowEntry.Network n : networks) if (n.portMatches(port) && n.contains(a)) return n;
        return null;
    }

    /** The address if {@code host} is an IP literal (never a lookup), else null. */
    static InetAddress literal(String host) {
        if (host.isEmpty() || !(Character.digit(host.charAt(0), 16) >= 0 || host.charAt(0) == ':')) return null;
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void changed() {
        version.incrementAndGet();
        if (listeners.isEmpty()) return;
        EgressManifest m = manifest();
        for (Consumer<EgressManifest> l : listeners) l.accept(m);
    }
}
