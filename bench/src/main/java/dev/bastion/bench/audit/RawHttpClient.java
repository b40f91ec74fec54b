package dev.bastion.bench.audit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A lean HTTP/1.1 keep-alive client for load generation: one fixed request written as bytes, the response read just
 * far enough to know its status, whether it carries {@code X-Bastion-Audit-Index}, and where it ends (Content-Length
 * or chunked). The JDK client costs about half a core at 1,000 requests/s; on a 2-core machine that steals from the
 * server being measured. Connections are pooled; a request that finds none idle opens one.
 */
public final class RawHttpClient implements AutoCloseable {
    /** What a response said. */
    /** @param errorCode Bastion's stable error code of a refusal (from a short JSON body), else null */
    public record Answer(int status, boolean auditIndex, String errorCode) {}

    private final InetSocketAddress address;
    private final byte[] request;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

    public RawHttpClient(URI base, String path, String bearer, byte[] json) {
        this.address = new InetSocketAddress(base.getHost(), base.getPort());
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n"
                + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n") + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        this.request = new byte[h.length + json.length];
        System.arraycopy(h, 0, request, 0, h.length);
        System.arraycopy(json, 0, request, h.length, json.length);
    }

    /** Sends the request on an idle (or new) connection and reads the whole answer. Blocking: call on a virtual thread. */
    public Answer send() throws IOException {
        Connection c = idle.poll();
        if (c != null) {
            try {
                return exchange(c);
            } catch (IOException e) {
                // the server may have closed an idle connection: once more on a fresh one
            }
        }
        return exchange(new Connection(address));
    }

    private Answer exchange(Connection c) throws IOException {
        try {
            Answer a = c.exchange(request);
            idle.offer(c);
            return a;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (Connection c; (c = idle.poll()) != null; ) c.close();
    }

    private static final java.util.regex.Pattern ERROR_CODE = java.util.regex.Pattern.compile("\"code\"\\s*:\\s*\"([a-z_]+)\"");

    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(InetSocketAddress address) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 5_000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }

        Answer exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            if (!status.startsWith("HTTP/1.1 ")) throw new IOException("not an HTTP/1.1 response");
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean index = false;
            for (String h; !(h = line()).isEmpty(); ) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Long.parseLong(lower.substring(15).trim());
                else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
                else if (lower.startsWith("x-bastion-audit-index:")) index = true;
            }
            if (chunked) {
                for (long n; (n = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                    skip(n);
                    line();
                }
                while (!line().isEmpty()) { } // trailers
            } else if (length >= 0 && code >= 400 && length <= 4096) {
                byte[] body = in.readNBytes((int) length);
                if (body.length < length) throw new IOException("connection closed");
                java.util.regex.Matcher m = ERROR_CODE.matcher(new String(body, StandardCharsets.UTF_8));
                return new Answer(code, index, m.find() ? m.group(1) : null);
            } else if (length >= 0) {
                skip(length);
            } else {
                throw new IOException("response without length");
            }
            return new Answer(code, index, null);
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) throw new IOException("connection closed");
                if (b != '\r') sb.append((char) b);
            }
            return sb.toString();
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long s = in.skip(n);
                if (s <= 0) {
                    if (in.read() < 0) throw new IOException("connection closed");
                    s = 1;
                }
                n -= s;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
    }
}
