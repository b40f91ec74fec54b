package dev.bastion.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * Client-side TLS for one backend: trust a custom CA (or the JDK's default trust store), optionally require that the
 * verified chain contains a public key from a pin set (SPKI SHA-256, base64 — {@link Fingerprints#spkiSha256}),
 * optionally present a client certificate. Host names are always verified (endpoint identification "HTTPS") and
 * sent as SNI. Sockets come from the egress gate; {@link #wrap} layers TLS on one and completes the handshake.
 */
public final class UpstreamTls implements dev.bastion.egress.TlsLayer {

    /**
     * @param caFile     PEM bundle of trusted CAs; null = the JDK's default trust store
     * @param spkiPins   base64 SHA-256 SPKI pins; empty = no pinning
     * @param clientCert client certificate (chain + key, PEM or PKCS#12) or null
     */
    public record Config(Path caFile, List<String> spkiPins, ServerTls.Source clientCert, boolean allowTls12) {
        public Config {
            spkiPins = spkiPins == null ? List.of() : List.copyOf(spkiPins);
        }

        public static Config trusting(Path caFile) { return new Config(caFile, List.of(), null, false); }
    }

    private final Config config;
    private final SSLContext context;

    private UpstreamTls(Config config) {
        this.config = config;
        X509ExtendedTrustManager trust = config.caFile() == null ? KeyMaterial.systemTrust()
                : KeyMaterial.trustManager(KeyMaterial.anchors(config.caFile()));
        if (!config.spkiPins().isEmpty()) trust = new PinningTrustManager(trust, Set.copyOf(config.spkiPins()));
        KeyManager[] kms = config.clientCert() == null ? null
                : new KeyManager[] {KeyMaterial.keyManager(KeyMaterial.load(config.clientCert()))};
        try {
            context = SSLContext.getInstance("TLS");
            context.init(kms, new TrustManager[] {trust}, null);
        } catch (Exception e) {
            throw new TlsException("cannot create the upstream TLS context", e);
        }
    }

    public static UpstreamTls create(Config config) { return new UpstreamTls(config); }

    public SSLContext sslContext() { return context; }

    public SSLSocketFactory socketFactory() { return context.getSocketFactory(); }

    /** Protocols, SNI and host-name verification for a connection to {@code host}. */
    public SSLParameters parameters(String host) {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(config.allowTls12() ? new String[] {"TLSv1.3", "TLSv1.2"} : new String[] {"TLSv1.3"});
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(host)) p.setServerNames(List.of(new SNIHostName(host)));
        return p;
    }

    public void configure(SSLSocket socket, String host) { socket.setSSLParameters(parameters(host)); }

    /** TLS over an already connected plain socket (closing the TLS socket closes it); handshake done on return. */
    @Override
    public SSLSocket wrap(Socket connected, String host, int port) throws IOException {
        SSLSocket s = (SSLSocket) socketFactory().createSocket(connected, host, port, true);
        configure(s, host);
        s.startHandshake();
        return s;
    }

    static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    /** Standard chain and host checks first, then: some certificate in the chain must carry a pinned key. */
    static final class PinningTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final Set<String> pins;

        PinningTrustManager(X509ExtendedTrustManager delegate, Set<String> pins) {
            this.delegate = delegate;
            this.pins = pins;
        }

        private void pin(X509Certificate[] chain) throws CertificateException {
            for (X509Certificate c : chain) if (pins.contains(Fingerprints.spkiSha256(c))) return;
            throw new CertificateException("no certificate in the server's chain matches a configured SPKI pin");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkServerTrusted(chain, authType, socket);
            pin(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkServerTrusted(chain, authType, engine);
            pin(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
            pin(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client-side trust manager");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client-side trust manager");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client-side trust manager");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() { return delegate.getAcceptedIssuers(); }
    }

    @Override
    public String toString() {
        return "UpstreamTls[ca=" + (config.caFile() == null ? "system" : config.caFile()) + ", pins=" + config.spkiPins().size()
                + ", clientCert=" + (config.clientCert() != null) + "]";
    }
}
