package dev.bastion.backend;

import dev.bastion.common.Secret;
import dev.bastion.egress.Destination;
import dev.bastion.egress.EgressDeniedException;
import dev.bastion.egress.EgressGate;
import dev.bastion.egress.TlsLayer;
import dev.bastion.telemetry.Outbound;
import dev.bastion.tls.UpstreamTls;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small blocking HTTP/1.1 client for one backend, built for the proxy's hot path: pooled keep-alive sockets,
 * request heads assembled from pre-encoded bytes, bodies streamed without copies or re-parsing. Runs on the
 * caller's virtual thread. Every TCP connection is opened by the {@link EgressGate} (allow-list, address checks,
 * one DNS answer per connection); a redirect answer is never followed.
 */
final class HttpUpstream implements AutoCloseable {
    private static final int MAX_HEADER_LINES = 100;
    private static final int MAX_HEADER_LINE = 8192;

    private final String backendName;
    private final String host;
    private final int port;
    private final String basePath;
    private final byte[] fixedHeaders;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final TlsLayer tls;
    private final java.nio.file.Path unixSocket;
    private final EgressGate gate;
    private final Destination destination;
    private final ConnectionPool pool;
    private final ConcurrentHashMap<String, byte[]> heads = new ConcurrentHashMap<>();

    /**
     * @param gate       opens every TCP connection (null only with a Unix-domain socket)
     * @param unixSocket when set, every connection goes to this Unix-domain socket instead of the URL's host
     */
    HttpUpstream(String backendName, URI base, Secret apiKey, Duration connectTimeout, Duration readTimeout,
                 int maxConnections, TlsLayer tls, EgressGate gate, java.nio.file.Path unixSocket) {
        if (gate == null && unixSocket == null) throw new IllegalArgumentException("TCP backends connect through the egress gate");
        this.backendName = backendName;
        this.unixSocket = unixSocket;
        this.gate = gate;
        boolean https = "https".equals(base.getScheme());
        this.host = base.getHost();
        this.port = base.getPort() > 0 ? base.getPort() : (https ? 443 : 80);
        this.destination = unixSocket != null ? null : new Destination("backend:" + backendName, base.getScheme(), host, port);
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis());
        this.tls = https ? (tls != null ? tls : UpstreamTls.create(new UpstreamTls.Config(null, List.of(), null, false)))
                : null;
        StringBuilder h = new StringBuilder();
        h.append("Host: ").append(hostHeader(host, port, https)).append("\r\n");
        h.append("User-Agent: bastion\r\n");
        if (apiKey.present()) h.append("Authorization: Bearer ").append(apiKey.value()).append("\r\n");
        this.fixedHeaders = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        this.pool = new ConnectionPool(this::connect, maxConnections, Duration.ofSeconds(4).toNanos(),
                c -> this.tls == null || c.tls() == null || this.tls.reusable(c.tls()));
        if (destination != null) gate.declare(destination);
    }

    String backendName() { return backendName; }


    /** POSTs a JSON body to {@code basePath + path}; the caller must close the response. */
    UpstreamResponse post(String path, byte[] json, boolean eventStream) throws UpstreamFailure {
        return send("POST", path, json, eventStream ? "text/event-stream" : "application/json");
    }

    UpstreamResponse get(String path) throws UpstreamFailure {
        return send("GET", path, null, "application/json");
    }

    private UpstreamResponse send(String method, String path, byte[] body, String accept) throws UpstreamFailure {
        try {
            if (!pool.acquirePermit(readTimeoutMillis == 0 ? 30_000 : Math.min(readTimeoutMillis, 30_000))) {
                throw new UpstreamFailure(UpstreamFailure.Kind.BUSY,
                        "backend '" + backendName + "' is at its concurrency limit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamFailure(UpstreamFailure.Kind.UNAVAILABLE, "interrupted while waiting for backend");
        }
        byte[] head = head(method, path, body, accept);
        boolean released = false;
        try {
            for (int attempt = 0; ; attempt++) {
                UpstreamConnection c = borrow();
                try {
                    c.readTimeout(readTimeoutMillis);
                    OutputStream out = c.out;
                    out.write(head);
                    if (body != null) out.write(body);
                    out.flush();
                    UpstreamResponse response = readHead(c);
                    released = true;
                    return response;
                } catch (SocketTimeoutException e) {
                    c.close();
                    throw new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT,
                            "backend '" + backendName + "' did not answer within " + readTimeoutMillis + " ms");
                } catch (IOException e) {
                    c.close();
                    // a pooled connection the server closed while idle: retry once on a fresh one
                    if (c.reused && attempt == 0) continue;
                    throw new UpstreamFailure(UpstreamFailure.Kind.UNAVAILABLE,
                            "backend '" + backendName + "' closed the connection or sent a malformed answer");
                }
            }
        } finally {
            if (!released) pool.releasePermit();
        }
    }

    private UpstreamConnection borrow() throws UpstreamFailure {
        try {
            return pool.borrow();
        } catch (SocketTimeoutException e) {
            throw new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT,
                    "backend '" + backendName + "' did not accept a connection within " + connectTimeoutMillis + " ms");
        } catch (EgressDeniedException e) {
            throw new UpstreamFailure(UpstreamFailure.Kind.EGRESS_DENIED,
                    "backend '" + backendName + "' is outside the egress allow-list (" + e.reason().name()
                            .toLowerCase(java.util.Locale.ROOT) + ")");
        } catch (javax.net.ssl.SSLException e) {
            throw new UpstreamFailure(UpstreamFailure.Kind.UNAVAILABLE,
                    "backend '" + backendName + "' failed the TLS check (certificate, pin or host name)");
        } catch (ConnectException | NoRouteToHostException | UnknownHostException e) {
            throw new UpstreamFailure(UpstreamFailure.Kind.UNAVAILABLE, "backend '" + backendName + "' is unreachable");
        } catch (InterruptedIOException e) {
            throw new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, "backend '" + backendName + "' connect timed out");
        } catch (IOException | RuntimeException e) {
            throw new UpstreamFailure(UpstreamFailure.Kind.UNAVAILABLE,
                    "backend '" + backendName + "' could not be connected (" + e.getClass().getSimpleName() + ")");
        }
    }

    private UpstreamConnection connect() throws IOException {
        if (unixSocket != null) return UpstreamConnection.unix(unixSocket);
        Socket s = gate.connect(destination, Duration.ofMillis(connectTimeoutMillis));
        try {
            if (tls == null) return new UpstreamConnection(s, s);
            // CA, pins, host name and SNI are checked in the handshake, bounded by the connect timeout
            s.setSoTimeout(connectTimeoutMillis);
            return new UpstreamConnection(tls.wrap(s, host, port), s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * The request head. Everything but the body length is the same for every call to one path, so that part is
     * encoded once and cached.
     */
    private byte[] head(String method, String path, byte[] body, String accept) {
        byte[] prefix = heads.computeIfAbsent(method + ' ' + path + ' ' + accept + ' ' + (body != null), k -> {
            String start = method + " " + basePath + path + " HTTP/1.1\r\n";
            String tail = "Accept: " + accept + "\r\n" + (body == null ? "" : "Content-Type: application/json\r\n");
            byte[] a = start.getBytes(StandardCharsets.ISO_8859_1);
            byte[] c = tail.getBytes(StandardCharsets.ISO_8859_1);
            byte[] out = new byte[a.length + fixedHeaders.length + c.length];
            System.arraycopy(a, 0, out, 0, a.length);
            System.arraycopy(fixedHeaders, 0, out, a.length, fixedHeaders.length);
            System.arraycopy(c, 0, out, a.length + fixedHeaders.length, c.length);
            return out;
        });
        // a traced request's call continues its trace (W3C traceparent: 55 ASCII characters Bastion formatted)
        String trace = Outbound.TRACEPARENT.isBound() ? "traceparent: " + Outbound.TRACEPARENT.get() + "\r\n" : "";
        byte[] end = (trace + (body == null ? "\r\n" : "Content-Length: " + body.length + "\r\n\r\n"))
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = Arrays.copyOf(prefix, prefix.length + end.length);
        System.arraycopy(end, 0, out, prefix.length, end.length);
        return out;
    }

    private UpstreamResponse readHead(UpstreamConnection c) throws IOException {
        UpstreamInput in = c.in;
        String statusLine = in.readLine(MAX_HEADER_LINE);
        while (statusLine.startsWith("HTTP/1.1 100") || statusLine.startsWith("HTTP/1.0 100")) {
            while (!in.readLine(MAX_HEADER_LINE).isEmpty()) { /* skip 100-continue headers */ }
            statusLine = in.readLine(MAX_HEADER_LINE);
        }
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x status line");
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("malformed status code");
        }
        boolean http10 = statusLine.startsWith("HTTP/1.0");
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; ; i++) {
            if (i > MAX_HEADER_LINES) throw new IOException("too many headers from backend");
            String line = in.readLine(MAX_HEADER_LINE);
            if (line.isEmpty()) break;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IOException("malformed header from backend");
            String name = UpstreamResponse.usedHeader(line, colon);
            if (name != null) headers.put(name, line.substring(colon + 1).strip());
        }
        String connection = headers.get("connection");
        boolean keepAlive = !http10 && (connection == null || !connection.equalsIgnoreCase("close"));
        String te = headers.get("transfer-encoding");
        String cl = headers.get("content-length");
        BodyStreams.Body body;
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = new BodyStreams.Chunked(in);
        } else if (cl != null) {
            long length;
            try {
                length = Long.parseLong(cl);
            } catch (NumberFormatException e) {
                throw new IOException("malformed content-length from backend");
            }
            if (length < 0) throw new IOException("negative content-length from backend");
            body = new BodyStreams.FixedLength(in, length);
        } else if (status == 204 || status == 304) {
            body = new BodyStreams.FixedLength(in, 0);
        } else {
            body = new BodyStreams.UntilClose(in);
            keepAlive = false;
        }
        return new UpstreamResponse(status, headers, body, c, keepAlive, this);
    }

    /** Called once per response: pools the connection if given, and frees the concurrency slot. */
    void release(UpstreamConnection reusable) {
        if (reusable != null) pool.giveBack(reusable);
        pool.releasePermit();
    }

    int idleConnections() { return pool.idleCount(); }

    private static String hostHeader(String host, int port, boolean https) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return (https && port == 443) || (!https && port == 80) ? h : h + ":" + port;
    }

    @Override
    public void close() {
        pool.close();
        if (destination != null) gate.withdraw(destination);
    }
}
