package dev.bastion.investigate;

import dev.bastion.egress.Destination;
import dev.bastion.egress.EgressGate;
import dev.bastion.egress.TlsLayer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * Syslog over TLS (RFC 5425) or plain TCP to a receiver, through the egress gate (the destination is declared at
 * wiring time and listed in the egress manifest). A reader thread per connection notices at once when the receiver
 * closes it (a syslog receiver never sends), so the exporter reconnects before writing into a dead connection
 * instead of after losing what it wrote.
 */
public final class SocketSiemConnector implements SiemConnector {
    private final EgressGate gate;
    private final Destination destination;
    private final TlsLayer tls;
    private final Duration timeout;

    /** @param tls null for plain TCP */
    public SocketSiemConnector(EgressGate gate, Destination destination, TlsLayer tls, Duration timeout) {
        this.gate = gate;
        this.destination = destination;
        this.tls = tls;
        this.timeout = timeout;
    }

    @Override
    public Connection open() throws IOException {
        Socket s = tls != null ? gate.connectTls(destination, timeout, tls) : gate.connect(destination, timeout);
        s.setSoTimeout(0); // the watcher blocks until the peer closes
        return new Live(s);
    }

    private static final class Live implements Connection {
        private final Socket socket;
        private final OutputStream out;
        private final CountDownLatch peerGone = new CountDownLatch(1);

        Live(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            InputStream in = socket.getInputStream();
            Thread.ofVirtual().name("bastion-siem-watch").start(() -> {
                try {
                    byte[] sink = new byte[256];
                    while (in.read(sink) >= 0) { /* receivers send nothing we need */ }
                } catch (IOException ignored) {
                    // reset or closed locally: either way the connection is over
                } finally {
                    peerGone.countDown();
                }
            });
        }

        @Override
        public OutputStream out() { return out; }

        @Override
        public boolean peerClosed() { return peerGone.getCount() == 0; }

        @Override
        public void closeGracefully(long waitMillis) {
            try {
                out.flush();
                if (socket instanceof SSLSocket ssl) {
                    ssl.shutdownOutput(); // close_notify: the receiver has read everything before it
                } else {
                    socket.shutdownOutput();
                }
                peerGone.await(waitMillis, TimeUnit.MILLISECONDS);
            } catch (IOException | UnsupportedOperationException e) {
                // closing anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }
}
