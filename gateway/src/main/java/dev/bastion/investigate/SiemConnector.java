package dev.bastion.investigate;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Opens the connection to a SIEM receiver. The one seam between audit export and the network; the server's
 * connector ({@link SocketSiemConnector}) opens it through the egress gate.
 */
public interface SiemConnector {

    Connection open() throws IOException;

    /** A live connection; receivers never answer, so anything read means the peer closed (or broke) it. */
    interface Connection extends AutoCloseable {
        OutputStream out();

        /** True once the receiver closed its side: nothing written after that would arrive. */
        boolean peerClosed();

        /** Flushes, closes our side and waits up to {@code waitMillis} for the peer to close (all data consumed). */
        void closeGracefully(long waitMillis);

        @Override
        void close();
    }
}
