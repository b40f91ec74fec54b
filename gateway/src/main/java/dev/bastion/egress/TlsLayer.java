package dev.bastion.egress;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Layers TLS over a socket the gate connected and completes the handshake, checking the peer for {@code host}.
 * {@code dev.bastion.tls.UpstreamTls::wrap} is one (custom CA, SPKI pins, client certificates).
 */
@FunctionalInterface
public interface TlsLayer {
    SSLSocket wrap(Socket connected, String host, int port) throws IOException;

    /**
     * Whether a kept-alive connection this layer made may carry another request. Attested backends answer per
     * session: one whose attestation expired is attested again here (fresh nonce, same session) or not reused.
     */
    default boolean reusable(SSLSocket socket) {
        return true;
    }

    /** The JDK trust store, TLS 1.3 or 1.2, host name verified and sent as SNI. */
    static TlsLayer system() {
        return (connected, host, port) -> {
            SSLContext context;
            try {
                context = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IOException("no default TLS context", e);
            }
            SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(connected, host, port, true);
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            p.setEndpointIdentificationAlgorithm("HTTPS");
            if (EgressGate.literal(host) == null) p.setServerNames(List.of(new SNIHostName(host)));
            s.setSSLParameters(p);
            s.startHandshake();
            return s;
        };
    }
}
