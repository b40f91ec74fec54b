package dev.bastion.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A small HTTP/1.1 server on a Unix-domain socket: one platform thread per connection from a fixed-size pool (a
 * generation blocks inside native code, which would pin a virtual thread's carrier), keep-alive, and a reaper that
 * closes connections idle too long or too slow to send a request.
 */
final class UdsHttpServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UdsHttpServer.class.getName());

    /** Handles one request; must answer through the exchange. */
    interface Handler {
        void handle(HttpRequest request, HttpExchange exchange) throws IOException;
    }

    private final Path socket;
    private final HttpParser parser;
    private final Handler handler;
    private final long idleNanos;
    private final long requestNanos;
    private final ThreadPoolExecutor pool;
    private final Set<Conn> conns = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel server;
    private Thread acceptor;
    private Thread reaper;
    private volatile boolean stopping;

    UdsHttpServer(Path socket, int maxConnections, HttpParser parser, Handler handler, long idleMillis,
                  long requestMillis) {
        this.socket = socket;
        this.parser = parser;
        this.handler = handler;
        this.idleNanos = idleMillis * 1_000_000;
        this.requestNanos = requestMillis * 1_000_000;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(maxConnections, maxConnections, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "engine-conn-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** Binds the socket (owner-only permissions) and starts accepting. A stale socket file is replaced. */
    void start() throws IOException {
        if (Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isDirectory(socket) || Files.isRegularFile(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("socket path exists and is not a socket");
            }
            Files.delete(socket);
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket), 64);
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        acceptor = new Thread(this::acceptLoop, "engine-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        reaper = new Thread(this::reapLoop, "engine-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }

    private void acceptLoop() {
        while (!stopping) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!stopping) LOG.log(Level.WARNING, "accept failed: {0}", e.getClass().getSimpleName());
                return;
            }
            Conn c = new Conn(ch);
            conns.add(c);
            try {
                pool.execute(() -> c.run());
            } catch (RejectedExecutionException e) {
                conns.remove(c);
                c.refuse();
            }
        }
    }

    private void reapLoop() {
        while (!stopping) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Conn c : conns) {
                long since = c.since;
                boolean expired = switch (c.state) {
                    case IDLE -> now - since > idleNanos;
                    case READING -> now - since > requestNanos;
                    case HANDLING -> false;
                };
                if (expired) c.close();
            }
        }
    }

    int openConnections() { return conns.size(); }

    /** Stops accepting and closes every connection (blocked reads fail, handlers see write errors). */
    @Override
    public void close() {
        stopping = true;
        try {
            if (server != null) server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Conn c : conns) c.close();
        pool.shutdownNow();
        if (reaper != null) reaper.interrupt();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the supervisor removes stale sockets too
        }
    }

    private enum State { IDLE, READING, HANDLING }

    private final class Conn {
        private final SocketChannel ch;
        volatile State state = State.IDLE;
        volatile long since = System.nanoTime();

        Conn(SocketChannel ch) { this.ch = ch; }

        void run() {
            try (ch) {
                InputStream raw = Channels.newInputStream(ch);
                InputStream in = new java.io.BufferedInputStream(new InputStream() {
                    @Override
                    public int read() throws IOException {
                        byte[] b = new byte[1];
                        return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = raw.read(b, off, len);
                        if (n > 0 && state == State.IDLE) {
                            state = State.READING;
                            since = System.nanoTime();
                        }
                        return n;
                    }
                }, 8192);
                OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 8192);
                while (!stopping) {
                    HttpRequest req;
                    try {
                        req = parser.read(in);
                    } catch (HttpProblem p) {
                        HttpExchange.sendProblem(out, p, false);
                        return;
                    }
                    if (req == null) return;
                    state = State.HANDLING;
                    HttpExchange ex = new HttpExchange(out, req.keepAlive() && !stopping);
                    handler.handle(req, ex);
                    if (!ex.keepAlive()) return;
                    state = State.IDLE;
                    since = System.nanoTime();
                }
            } catch (IOException e) {
                // peer gone or connection closed by the reaper/shutdown: nothing to answer
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "connection handler failed: {0}", e.getClass().getName());
            } finally {
                conns.remove(this);
            }
        }

        /** Over the connection limit: answer 429 without a thread of its own. */
        void refuse() {
            try (ch) {
                OutputStream out = Channels.newOutputStream(ch);
                HttpExchange.sendProblem(out, EngineError.OVERLOADED.problem("too many connections"), false,
                        Map.of("Retry-After", "1"));
            } catch (IOException ignored) {
                // nothing more to do
            }
        }

        void close() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
