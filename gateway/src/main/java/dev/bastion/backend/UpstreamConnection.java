package dev.bastion.backend;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * One open connection to a backend, with buffered streams; pooled between calls when the answer was read fully.
 * Over TCP (plain or TLS) reads time out through {@link UpstreamInput}'s sweeper, which closes the plain socket
 * underneath; over a Unix-domain socket (the local engine worker) there is no read timeout — a hung worker is found
 * and killed by its supervisor's liveness check, which closes this.
 */
final class UpstreamConnection implements Closeable {
    private final Socket socket;
    private final SocketChannel channel;
    final UpstreamInput in;
    final OutputStream out;
    long idleSince;
    boolean reused;

    /**
     * @param socket the socket to talk over (plain, or TLS layered on {@code plain})
     * @param plain  the TCP socket underneath, closed to unblock a read past its deadline (closing a TLS socket
     *               from another thread would try to send close_notify first)
     */
    UpstreamConnection(Socket socket, Socket plain) throws IOException {
        this.socket = socket;
        this.channel = null;
        socket.setSoTimeout(0); // deadlines are the sweeper's (UpstreamInput); a timed read costs a timer per read
        this.in = new UpstreamInput(socket.getInputStream(), () -> closeQuietly(plain));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    }

    private UpstreamConnection(SocketChannel channel) {
        this.socket = null;
        this.channel = channel;
        this.in = new UpstreamInput(Channels.newInputStream(channel), this::close);
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 8 * 1024);
    }

    static UpstreamConnection unix(Path socketFile) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socketFile));
        return new UpstreamConnection(ch);
    }

    /** The longest one read may wait from now on (TCP only: the worker's socket has no read timeout). */
    void readTimeout(int millis) {
        if (socket != null) in.timeout(millis);
    }

    /** The TLS socket of a TLS connection, else null. */
    javax.net.ssl.SSLSocket tls() {
        return socket instanceof javax.net.ssl.SSLSocket s ? s : null;
    }

    boolean isOpen() {
        if (socket != null) return !socket.isClosed() && !socket.isInputShutdown() && !socket.isOutputShutdown();
        return channel.isOpen();
    }

    @Override
    public void close() {
        closeQuietly(socket != null ? socket : channel);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing a broken connection: nothing left to do
        }
    }
}
