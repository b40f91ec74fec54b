package dev.bastion.bench.engine;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal keep-alive HTTP/1.1 client for the benchmark's calls to Bastion: one persistent TCP connection, the
 * request written in one piece, the answer read on the calling thread. It costs about what the supervisor's
 * Unix-socket client costs on the worker path, so the two paths are compared without the JDK HttpClient's own
 * overhead (its selector thread and executor hand-offs, ~2–3 ms per request here), which a caller of Bastion pays
 * or not depending on its client library. Not a general client: Content-Length or chunked answers only.
 */
final class LeanHttpClient implements AutoCloseable {
    /** Told each piece of the body as it arrives (a chunk of a chunked answer). */
    interface ChunkListener {
        void chunk(byte[] data, int off, int len);
    }

    record Response(int status, byte[] body) {}

    private final String host;
    private final int port;
    private final byte[] headPrefix;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    LeanHttpClient(URI base, String path, String bearer) {
        this.host = base.getHost();
        this.port = base.getPort();
        this.headPrefix = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer "
                + bearer + "\r\nContent-Type: application/json\r\nContent-Length: ")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    Response post(byte[] body, ChunkListener listener) throws IOException {
        if (socket == null) open();
        byte[] len = (body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] req = new byte[headPrefix.length + len.length + body.length];
        System.arraycopy(headPrefix, 0, req, 0, headPrefix.length);
        System.arraycopy(len, 0, req, headPrefix.length, len.length);
        System.arraycopy(body, 0, req, headPrefix.length + len.length, body.length);
        try {
            out.write(req);
            out.flush();
            return read(listener);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void open() throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    private Response read(ChunkListener listener) throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) throw new IOException("bad status line");
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).strip());
            else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            else if (lower.startsWith("connection:") && lower.contains("close")) close = true;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            while (true) {
                String size = line();
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) { /* trailers */ }
                    break;
                }
                byte[] chunk = in.readNBytes(n);
                if (chunk.length < n) throw new IOException("eof in chunk");
                if (listener != null) listener.chunk(chunk, 0, n);
                body.write(chunk);
                line();
            }
        } else if (length >= 0) {
            byte[] all = in.readNBytes((int) length);
            if (all.length < length) throw new IOException("eof in body");
            if (listener != null) listener.chunk(all, 0, all.length);
            body.write(all);
        } else {
            throw new IOException("answer without length");
        }
        if (close) close();
        return new Response(code, body.toByteArray());
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
                return sb.toString();
            }
            if (sb.length() > 16 * 1024) throw new IOException("line too long");
            sb.append((char) c);
        }
        throw new IOException("connection closed");
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        socket = null;
    }
}
