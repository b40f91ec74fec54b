package dev.bastion.engine;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** Test-side HTTP/1.1 client over a Unix socket: one connection, sequential requests, chunked bodies. */
final class UdsClient implements AutoCloseable {
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() { return new String(body, StandardCharsets.UTF_8); }
    }

    private final SocketChannel ch;
    private final InputStream in;
    private final OutputStream out;

    UdsClient(Path socket) throws IOException {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        in = new BufferedInputStream(Channels.newInputStream(ch));
        out = Channels.newOutputStream(ch);
    }

    static Response once(Path socket, String method, String path, String json) throws IOException {
        try (UdsClient c = new UdsClient(socket)) {
            return c.send(method, path, json);
        }
    }

    Response send(String method, String path, String json) throws IOException {
        return send(method, path, json, null);
    }

    /** Sends a request; with {@code onChunk}, each chunk of a chunked body is handed over as it arrives. */
    Response send(String method, String path, String json, Consumer<byte[]> onChunk) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: engine\r\n"
                + (json == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                + "\r\n";
        writeRaw(head.getBytes(StandardCharsets.ISO_8859_1));
        try {
            writeRaw(body);
        } catch (IOException e) {
            // the server may refuse (413) and close before the whole body is sent: its answer is still readable
        }
        return read(onChunk);
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Response read(Consumer<byte[]> onChunk) throws IOException {
        String status = line();
        int code = Integer.parseInt(status.split(" ")[1]);
        Map<String, String> headers = new HashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int c = l.indexOf(':');
            headers.put(l.substring(0, c).toLowerCase(Locale.ROOT), l.substring(c + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equals(headers.get("transfer-encoding"))) {
            while (true) {
                int size = Integer.parseInt(line(), 16);
                if (size == 0) {
                    line();
                    break;
                }
                byte[] chunk = in.readNBytes(size);
                if (chunk.length != size) throw new EOFException("inside a chunk");
                line();
                body.writeBytes(chunk);
                if (onChunk != null) onChunk.accept(chunk);
            }
        } else {
            int len = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] b = in.readNBytes(len);
            if (b.length != len) throw new EOFException("inside the body");
            body.writeBytes(b);
        }
        return new Response(code, headers, body.toByteArray());
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) throw new EOFException("connection closed");
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException { ch.close(); }
}
