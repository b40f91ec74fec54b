package dev.bastion.backend;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;

/** One open connection to a backend, with buffered streams; pooled between calls when the answer was read fully. */
final class UpstreamConnection implements Closeable {
    private final Socket socket;
    final UpstreamInput in;
    final OutputStream out;
    long idleSince;
    boolean reused;

    UpstreamConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new UpstreamInput(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    }

    void readTimeout(int millis) throws SocketException {
        socket.setSoTimeout(millis);
    }

    boolean isOpen() {
        return !socket.isClosed() && !socket.isInputShutdown() && !socket.isOutputShutdown();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a broken socket: nothing left to do
        }
    }
}
