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
 * Over TCP (plain or TLS) reads time out via the socket; over a Unix-domain socket (the local engine worker) there
 * is no read timeout — a hung worker is found and killed by its supervisor's liveness check, which closes this.
 */
final class UpstreamConnection implements Closeable {
    private final Socket socket;
    private final SocketChannel channel;
    final UpstreamInput in;
    final OutputStream out;
    long idleSince;
    boolean reused;

    UpstreamConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.channel = null;
        this.in = new UpstreamInput(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    }

    private UpstreamConnection(SocketChannel channel) {
        this.socket = null;
        this.channel = channel;
        this.in = new UpstreamInput(Channels.newInputStream(channel));
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 8 * 1024);
    }

    static UpstreamConnection unix(Path socketFile) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socketFile));
        return new UpstreamConnection(ch);
    }

    void readTimeout(int millis) throws IOException {
        if (socket != null) socket.setSoTimeout(millis);
    }

    boolean isOpen() {
        if (socket != null) return !socket.isClosed() && !socket.isInputShutdown() && !socket.isOutputShutdown();
        return channel.isOpen();
    }

    @Override
    public void close() {
        try {
            if (socket != null) socket.close();
            else channel.close();
        } catch (IOException ignored) {
            // closing a broken connection: nothing left to do
        }
    }
}
