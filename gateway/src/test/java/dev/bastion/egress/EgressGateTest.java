package dev.bastion.egress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gate's rules, over real loopback sockets (Linux answers all of 127.0.0.0/8 on lo). */
class EgressGateTest {
    private static final Duration T = Duration.ofSeconds(5);
    private final List<Listener> listeners = new ArrayList<>();

    @AfterEach
    void close() {
        listeners.forEach(Listener::close);
    }

    @Test
    void aHostThatIsNeitherDeclaredNorAllowedIsRefusedWithoutResolvingIt() {
        AtomicInteger lookups = new AtomicInteger();
        EgressGate gate = new EgressGate(EgressGate.Mode.DECLARED, List.of(), host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        });
        gate.declare(new Destination("backend:a", "http", "models.example", 8000));
        assertThatThrownBy(() -> gate.connect(new Destination("x", "http", "exfil.example", 8000), T))
                .isInstanceOfSatisfying(EgressDeniedException.class,
                        e -> assertThat(e.reason()).isEqualTo(EgressDeniedException.Reason.NOT_ALLOWED));
        assertThatThrownBy(() -> gate.connect(new Destination("x", "http", "models.example", 8001), T))
                .isInstanceOf(EgressDeniedException.class);
        assertThat(lookups).hasValue(0); // a DNS query for an arbitrary name would itself leave the boundary
        assertThat(gate.refusedCount()).isEqualTo(2);
    }

    @Test
    void eachConnectionResolvesOnceAndConnectsToTheAddressItChecked() throws Exception {
        Listener allowed = listen("127.0.0.1");
        Listener other = listen("127.0.0.2", allowed.port());
        // a rebinding resolver: the first answer is the allowed address, every later one the other
        AtomicInteger lookups = new AtomicInteger();
        Resolver rebinding = host -> new InetAddress[] {InetAddress.ofLiteral(
                lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2")};
        EgressGate gate = new EgressGate(EgressGate.Mode.ALLOW_LIST, List.of(
                new AllowEntry.Host("api.bastion.test", allowed.port()),
                AllowEntry.Network.parse("127.0.0.1", allowed.port())), rebinding);
        Destination d = new Destination("backend:a", "http", "api.bastion.test", allowed.port());

        try (Socket s = gate.connect(d, T)) {
            assertThat(s.getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
        }
        assertThat(lookups).hasValue(1);
        assertThatThrownBy(() -> gate.connect(d, T)).isInstanceOfSatisfying(EgressDeniedException.class,
                e -> assertThat(e.reason()).isEqualTo(EgressDeniedException.Reason.ADDRESS_NOT_DECLARED));
        assertThat(lookups).hasValue(2);
        allowed.awaitAccepted(1);
        assertThat(other.accepted()).isZero();
    }

    @Test
    void aNameWithSeveralAnswersConnectsOnlyToTheDeclaredOnes() throws Exception {
        Listener allowed = listen("127.0.0.1");
        Listener other = listen("127.0.0.3", allowed.port());
        EgressGate gate = new EgressGate(EgressGate.Mode.DECLARED, List.of(AllowEntry.Network.parse("127.0.0.1/32", 0)),
                host -> new InetAddress[] {InetAddress.ofLiteral("127.0.0.3"), InetAddress.ofLiteral("127.0.0.1")});
        Destination d = gate.declare(new Destination("backend:a", "http", "mixed.bastion.test", allowed.port()));
        try (Socket s = gate.connect(d, T)) {
            assertThat(s.getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
        }
        allowed.awaitAccepted(1);
        assertThat(other.accepted()).isZero();
    }

    @Test
    void aDeclaredNameThatResolvesToAPrivateOrLoopbackAddressNeedsANetworkEntry() throws Exception {
        Resolver toTen = host -> new InetAddress[] {InetAddress.ofLiteral("10.20.30.40")};
        EgressGate bare = new EgressGate(EgressGate.Mode.DECLARED, List.of(), toTen);
        Destination d = bare.declare(new Destination("backend:a", "http", "vllm.internal", 8000));
        assertThatThrownBy(() -> bare.admit(d)).isInstanceOfSatisfying(EgressDeniedException.class,
                e -> assertThat(e.getMessage()).contains("10.20.30.40").contains("private"));

        EgressGate covered = new EgressGate(EgressGate.Mode.DECLARED, List.of(AllowEntry.Network.parse("10.0.0.0/8", 0)), toTen);
        covered.declare(d);
        assertThat(covered.admit(d)).containsExactly(InetAddress.ofLiteral("10.20.30.40"));

        // the operator wrote the address itself, or localhost: that is the declaration
        EgressGate literal = new EgressGate(EgressGate.Mode.DECLARED, List.of(), toTen);
        Destination lit = literal.declare(new Destination("backend:b", "http", "10.1.2.3", 8000));
        assertThat(literal.admit(lit)).containsExactly(InetAddress.ofLiteral("10.1.2.3"));
        Destination local = literal.declare(new Destination("backend:c", "http", "localhost", 8000));
        EgressGate loopback = new EgressGate(EgressGate.Mode.DECLARED, List.of(), host -> new InetAddress[] {
                InetAddress.ofLiteral("127.0.0.1")});
        loopback.declare(local);
        assertThat(loopback.admit(local)).hasSize(1);
    }

    @Test
    void metadataAddressesNeedAnEntryNamingExactlyThem() throws Exception {
        for (String metadata : List.of("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254",
                "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe")) {
            Resolver r = host -> new InetAddress[] {InetAddress.ofLiteral(metadata)};
            EgressGate wide = new EgressGate(EgressGate.Mode.DECLARED, List.of(AllowEntry.Network.parse("0.0.0.0/0", 0),
                    AllowEntry.Network.parse("::/0", 0)), r);
            Destination byName = wide.declare(new Destination("backend:a", "http", "metadata.internal", 80));
            Destination byLiteral = wide.declare(new Destination("backend:b", "http", metadata, 80));
            for (Destination d : List.of(byName, byLiteral)) {
                assertThatThrownBy(() -> wide.admit(d)).as(metadata).isInstanceOfSatisfying(EgressDeniedException.class,
                        e -> assertThat(e.reason()).isEqualTo(EgressDeniedException.Reason.METADATA));
            }
        }
        EgressGate exact = new EgressGate(EgressGate.Mode.DECLARED, List.of(AllowEntry.Network.parse("169.254.169.254", 80)),
                Resolver.SYSTEM);
        Destination d = exact.declare(new Destination("metadata", "http", "169.254.169.254", 80));
        assertThat(exact.admit(d)).hasSize(1);
    }

    @Test
    void unspecifiedMulticastAndBroadcastAreNeverDestinations() {
        for (String never : List.of("0.0.0.0", "224.0.0.1", "255.255.255.255", "::", "ff02::1", "240.1.2.3")) {
            EgressGate gate = new EgressGate(EgressGate.Mode.DECLARED, List.of(AllowEntry.Network.parse(
                    never.contains(":") ? "::/0" : "0.0.0.0/0", 0)), Resolver.SYSTEM);
            Destination d = gate.declare(new Destination("x", "tcp", never, 9));
            assertThatThrownBy(() -> gate.admit(d)).as(never).isInstanceOfSatisfying(EgressDeniedException.class,
                    e -> assertThat(e.reason()).isEqualTo(EgressDeniedException.Reason.NEVER));
        }
    }

    @Test
    void inAllowListModeADeclarationAloneAllowsNothing() throws Exception {
        Listener l = listen("127.0.0.1");
        EgressGate gate = new EgressGate(EgressGate.Mode.ALLOW_LIST, List.of(), Resolver.SYSTEM);
        Destination d = gate.declare(new Destination("backend:a", "http", "127.0.0.1", l.port()));
        assertThatThrownBy(() -> gate.connect(d, T)).isInstanceOf(EgressDeniedException.class);
        assertThat(gate.manifest().destinations()).singleElement().satisfies(line -> assertThat(line.allowed()).isFalse());
        assertThat(l.accepted()).isZero();
    }

    @Test
    void theManifestFollowsDeclarationsAndWithdrawals() {
        EgressGate gate = new EgressGate(EgressGate.Mode.DECLARED, List.of(new AllowEntry.Host("*.example.com", 443)),
                Resolver.SYSTEM);
        List<EgressManifest> seen = new ArrayList<>();
        gate.onChange(seen::add);
        Destination a = new Destination("backend:a", "https", "a.example.com", 443);
        gate.declare(a);
        gate.declare(a); // a second owner (a backend being replaced on reload)
        gate.withdraw(a);
        assertThat(gate.manifest().destinations()).hasSize(1);
        gate.withdraw(a);
        assertThat(gate.manifest().destinations()).isEmpty();
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).allow()).containsExactly("*.example.com:443");
        assertThat(seen.get(1).version()).isGreaterThan(seen.get(0).version());
    }

    @Test
    void wildcardHostEntriesMatchOnlyNamesBelowTheDomain() {
        var entry = new AllowEntry.Host("*.example.com", 0);
        assertThat(entry.matches("idp.example.com")).isTrue();
        assertThat(entry.matches("a.b.example.com")).isTrue();
        assertThat(entry.matches("example.com")).isFalse();
        assertThat(entry.matches("evilexample.com")).isFalse();
        assertThat(entry.matches("example.com.evil.net")).isFalse();
        assertThatThrownBy(() -> new AllowEntry.Host("10.0.0.1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AllowEntry.Host("exa mple.com", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnresolvableDeclaredNameIsAnUnknownHostNotAnEgressDenial() {
        EgressGate gate = new EgressGate(EgressGate.Mode.DECLARED, List.of(), host -> {
            throw new UnknownHostException(host);
        });
        Destination d = gate.declare(new Destination("backend:a", "http", "gone.example", 80));
        assertThatThrownBy(() -> gate.connect(d, T)).isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(EgressDeniedException.class);
    }

    private Listener listen(String address) throws IOException {
        return listen(address, 0);
    }

    private Listener listen(String address, int port) throws IOException {
        Listener l = new Listener(address, port);
        listeners.add(l);
        return l;
    }

    /** A listening socket that counts the connections it accepts. */
    static final class Listener implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger accepted = new AtomicInteger();

        Listener(String address, int port) throws IOException {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.ofLiteral(address), port));
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() { return socket.getLocalPort(); }

        int accepted() { return accepted.get(); }

        void awaitAccepted(int n) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> accepted.get() >= n);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // test cleanup
            }
        }
    }
}
