package dev.bastion.egress;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A small HTTP/1.1 client over the {@link EgressGate} for Bastion's own outbound calls (identity providers, SIEM,
 * witnesses, model pulls): one connection per request ({@code Connection: close}), bounded head and body, a timeout
 * on connect and on every read, and <b>no redirects</b> — a 3xx answer is returned to the caller as it is.
 */
public final class EgressHttp {
    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 100;
    private static final TlsLayer DEFAULT_TLS = TlsLayer.system();

    private final EgressGate gate;

    public EgressHttp(EgressGate gate) {
        this.gate = gate;
    }

    /**
     * One request.
     *
     * @param purpose  who asks ({@code identity:jwks}), for the manifest check, logs and errors
     * @param headers  extra request headers (Host, Connection and Content-Length are set here)
     * @param body     request body or null
     * @param timeout  connect timeout and longest wait for each read
     * @param tls      TLS for https (null: {@link TlsLayer#system()}; {@code upstreamTls::wrap} for a custom CA)
     */
    public record Request(String purpose, String method, URI uri, Map<String, String> headers, byte[] body,
                          Duration timeout, TlsLayer tls) {
        public Request {
            headers = Map.copyOf(headers);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) throw new IllegalArgumentException("http(s) URLs only");
        }

        public static Request get(String purpose, URI uri, Duration timeout) {
            return new Request(purpose, "GET", uri, Map.of(), null, timeout, null);
        }

        public Request withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Request(purpose, method, uri, h, body, timeout, tls);
        }
    }

    /** A complete answer. Header names are lower case; a repeated header keeps its first value. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }

        public String text() { return new String(body, StandardCharsets.UTF_8); }
    }

    /** An answer whose body is read by the caller (large downloads); closing it closes the connection. */
    public static final class Streamed implements AutoCloseable {
        private final int status;
        private final Map<String, String> headers;
        private final InputStream body;
        private final Socket socket;

        Streamed(int status, Map<String, String> headers, InputStream body, Socket socket) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.socket = socket;
        }

        public int status() { return status; }

        public String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }

        /** The body, de-chunked; ends where the answer ends. */
        public InputStream body() { return body; }

        @Override
        public void close() throws IOException { socket.close(); }
    }

    /** Records a destination this client will call (it goes into the egress manifest); see {@link EgressGate#declare}. */
    public Destination declare(Destination d) { return gate.declare(d); }

    /** Sends the request and reads the whole answer; a body larger than {@code maxBytes} is an error. */
    public Response send(Request request, int maxBytes) throws IOException {
        try (Streamed s = open(request)) {
            byte[] body = s.body().readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw new IOException(request.purpose() + ": answer larger than " + maxBytes + " bytes");
            }
            return new Response(s.status(), s.headers, body);
        }
    }

    /** Sends the request and returns once the answer's head is read. */
    public Streamed open(Request request) throws IOException {
        URI uri = request.uri();
        Destination d = Destination.of(request.purpose(), uri);
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        Socket socket = https ? gate.connectTls(d, request.timeout(), request.tls() == null ? DEFAULT_TLS : request.tls())
                : gate.connect(d, request.timeout());
        try {
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, request.timeout().toMillis())));
            OutputStream out = socket.getOutputStream();
            out.write(head(request, d, https));
            if (request.body() != null) out.write(request.body());
            out.flush();
            return answer(socket, request.method());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Reads the status line and headers of an answer on {@code socket}; the body is left to the caller. */
    static Streamed answer(Socket socket, String method) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
        String status = line(in);
        if (!status.startsWith("HTTP/1.") || status.length() < 12) throw new IOException("not an HTTP/1.x answer");
        int code;
        try {
            code = Integer.parseInt(status.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("malformed status code");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            if (i > MAX_HEADERS) throw new IOException("too many headers");
            String h = line(in);
            if (h.isEmpty()) break;
            int colon = h.indexOf(':');
            if (colon <= 0) throw new IOException("malformed header");
            headers.putIfAbsent(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        return new Streamed(code, headers, body(in, headers, method, code), socket);
    }

    private static byte[] head(Request r, Destination d, boolean https) {
        URI uri = r.uri();
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        boolean defaultPort = d.port() == (https ? 443 : 80);
        String host = (d.host().indexOf(':') >= 0 ? "[" + d.host() + "]" : d.host()) + (defaultPort ? "" : ":" + d.port());
        StringBuilder h = new StringBuilder(r.method()).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\nConnection: close\r\nUser-Agent: bastion\r\n");
        r.headers().forEach((k, v) -> {
            if (k.indexOf('\r') >= 0 || k.indexOf('\n') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header with a line break");
            }
            h.append(k).append(": ").append(v).append("\r\n");
        });
        if (r.body() != null) h.append("Content-Length: ").append(r.body().length).append("\r\n");
        return h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static InputStream body(InputStream in, Map<String, String> headers, String method, int status)
            throws IOException {
        if (method.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1) return InputStream.nullInputStream();
        String te = headers.get("transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) return new Chunked(in);
        String cl = headers.get("content-length");
        if (cl == null) return in;
        try {
            long n = Long.parseLong(cl);
            if (n < 0) throw new IOException("negative content-length");
            return new Limited(in, n);
        } catch (NumberFormatException e) {
            throw new IOException("malformed content-length");
        }
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new java.io.EOFException("connection closed in the answer's head");
            if (b.size() >= MAX_LINE) throw new IOException("header line too long");
            b.write(c);
        }
        byte[] bytes = b.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }

    /** A stream that reads in blocks; single bytes go through the block read. */
    private abstract static class BlockInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** A body of known length. */
    private static final class Limited extends BlockInput {
        private final InputStream in;
        private long left;

        Limited(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new java.io.EOFException("answer shorter than its content-length");
            left -= n;
            return n;
        }
    }

    /** A chunked body, decoded; trailers are skipped. */
    private static final class Chunked extends BlockInput {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) return -1;
            if (left == 0) {
                String size = line(in);
                int semi = size.indexOf(';');
                try {
                    left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("malformed chunk size");
                }
                if (left < 0) throw new IOException("malformed chunk size");
                if (left == 0) {
                    while (!line(in).isEmpty()) { /* trailers */ }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new java.io.EOFException("chunked answer cut off");
            left -= n;
            if (left == 0 && !line(in).isEmpty()) throw new IOException("malformed chunk end");
            return n;
        }
    }
}
