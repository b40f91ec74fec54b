package dev.bastion.tls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.bastion.tls.TlsFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Upstream (backend) TLS against a real SSLServerSocket: custom CA, host names, pins, client certificates. */
class UpstreamTlsTest {
    private SSLServerSocket serverSocket;
    private final List<String> clientSubjects = new CopyOnWriteArrayList<>();

    /** A one-line HTTP backend on a TLS server socket; records the client certificate subject it saw. */
    int backend(ServerTls tls, String... onlyProtocols) throws IOException {
        serverSocket = (SSLServerSocket) tls.sslContext().getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serverSocket.setSSLParameters(tls.sslParameters());
        if (onlyProtocols.length > 0) serverSocket.setEnabledProtocols(onlyProtocols);
        Thread.ofVirtual().start(() -> {
            while (!serverSocket.isClosed()) {
                try (SSLSocket s = (SSLSocket) serverSocket.accept()) {
                    s.startHandshake();
                    try {
                        clientSubjects.add(((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName());
                    } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
                        clientSubjects.add("-");
                    }
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // a refused handshake: next connection
                }
            }
        });
        return serverSocket.getLocalPort();
    }

    @AfterEach
    void stop() throws IOException { if (serverSocket != null) serverSocket.close(); }

    static String exchange(SSLSocket s) throws IOException {
        try (s) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void aBackendSignedByTheConfiguredCaIsReachedOverTls13AndOthersAreNot(@TempDir Path dir) throws Exception {
        Ca ca = ca(dir, "backend");
        Ca other = ca(dir, "other");
        int port = backend(ServerTls.load(ServerTls.Config.of(server(dir, ca, "b"))));
        SSLSocket ok = connect(UpstreamTls.create(UpstreamTls.Config.trusting(ca.certFile())), "localhost", port);
        assertThat(ok.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(exchange(ok)).endsWith("ok");
        assertThatThrownBy(() -> connect(UpstreamTls.create(UpstreamTls.Config.trusting(other.certFile())), "localhost", port))
                .isInstanceOf(SSLHandshakeException.class);
        // the JDK's default trust store does not know a private CA either
        assertThatThrownBy(() -> connect(UpstreamTls.create(UpstreamTls.Config.trusting(null)), "localhost", port))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theHostNameIsVerified(@TempDir Path dir) throws Exception {
        Ca ca = ca(dir, "backend");
        var src = issue(dir, ca, LocalCa.Profile.SERVER, "vllm", List.of("vllm.internal"), YEAR_AGO, NEXT_YEAR);
        int port = backend(ServerTls.load(ServerTls.Config.of(src)));
        UpstreamTls up = UpstreamTls.create(UpstreamTls.Config.trusting(ca.certFile()));
        assertThat(exchange(up.wrap(new Socket(InetAddress.getLoopbackAddress(), port), "vllm.internal", port))).endsWith("ok");
        assertThatThrownBy(() -> up.wrap(new Socket(InetAddress.getLoopbackAddress(), port), "tgi.internal", port))
                .isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> connect(up, "127.0.0.1", port)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aPinnedKeyMustBeInTheChain(@TempDir Path dir) throws Exception {
        Ca ca = ca(dir, "backend");
        var src = server(dir, ca, "b");
        int port = backend(ServerTls.load(ServerTls.Config.of(src)));
        String leafPin = Fingerprints.spkiSha256(Pem.certificates(src.chain()).getFirst());
        String caPin = Fingerprints.spkiSha256(ca.ca().certificate());
        String otherPin = Fingerprints.spkiSha256(LocalCa.generate("x", YEAR_AGO, NEXT_YEAR).certificate());
        for (String pin : List.of(leafPin, caPin)) {
            var up = UpstreamTls.create(new UpstreamTls.Config(ca.certFile(), List.of(otherPin, pin), null, false));
            assertThat(exchange(connect(up, "localhost", port))).endsWith("ok");
        }
        var mismatch = UpstreamTls.create(new UpstreamTls.Config(ca.certFile(), List.of(otherPin), null, false));
        assertThatThrownBy(() -> connect(mismatch, "localhost", port))
                .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("pin");
    }

    @Test
    void aClientCertificateIsPresentedToBackendsThatRequireOne(@TempDir Path dir) throws Exception {
        Ca ca = ca(dir, "backend");
        Ca clients = ca(dir, "gateways");
        var me = issue(dir, clients, LocalCa.Profile.CLIENT, "bastion-gw", List.of(), YEAR_AGO, NEXT_YEAR);
        int port = backend(ServerTls.load(new ServerTls.Config(server(dir, ca, "b"), false, ServerTls.ClientAuth.REQUIRED, clients.certFile())));
        var up = UpstreamTls.create(new UpstreamTls.Config(ca.certFile(), List.of(), me, false));
        assertThat(exchange(connect(up, "localhost", port))).endsWith("ok");
        assertThat(clientSubjects).contains("CN=bastion-gw");
        // without it the backend refuses (reported on first read in TLS 1.3)
        var anonymous = UpstreamTls.create(UpstreamTls.Config.trusting(ca.certFile()));
        assertThatThrownBy(() -> exchange(connect(anonymous, "localhost", port))).isInstanceOf(IOException.class);
    }

    @Test
    void aTls12OnlyBackendIsRefusedUnlessAllowed(@TempDir Path dir) throws Exception {
        Ca ca = ca(dir, "backend");
        ServerTls tls = ServerTls.load(new ServerTls.Config(server(dir, ca, "b"), true, ServerTls.ClientAuth.NONE, null));
        int port = backend(tls, "TLSv1.2");
        assertThatThrownBy(() -> connect(UpstreamTls.create(UpstreamTls.Config.trusting(ca.certFile())), "localhost", port))
                .isInstanceOf(SSLHandshakeException.class);
        var legacy = UpstreamTls.create(new UpstreamTls.Config(ca.certFile(), List.of(), null, true));
        SSLSocket s = connect(legacy, "localhost", port);
        assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
        assertThat(exchange(s)).endsWith("ok");
    }

    /** A plain connection wrapped in the upstream TLS settings (the egress gate does the same for backends). */
    private static SSLSocket connect(UpstreamTls tls, String host, int port) throws IOException {
        java.net.Socket plain = new java.net.Socket(host, port);
        plain.setSoTimeout(5_000);
        try {
            return tls.wrap(plain, host, port);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }
}
