package dev.bastion.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A man in the middle for tests: forwards every request to Bastion unchanged, except that in audit entry bundles it
 * changes one byte of the entry at {@code tamperIndex} (the year of its time, 2xxx → 3xxx; the JSON stays valid and
 * the length the same), as a compromised server or proxy would show a doctored record.
 */
final class TamperingProxy implements AutoCloseable {
    private static final Set<String> HOP = Set.of("host", "connection", "content-length", "transfer-encoding", "upgrade",
            "expect", "keep-alive");
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI target;
    volatile long tamperIndex = -1;

    TamperingProxy(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::forward);
        server.start();
    }

    URI base() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort()); }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(ex.getRequestURI().toString()))
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!HOP.contains(name.toLowerCase())) values.forEach(v -> b.header(name, v));
            });
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] out = r.body();
            String path = ex.getRequestURI().getPath();
            if (r.statusCode() == 200 && path.startsWith("/bastion/v1/audit/tile/entries/")) out = tamper(path, out);
            r.headers().map().forEach((name, values) -> {
                if (!HOP.contains(name.toLowerCase()) && !name.startsWith(":")) ex.getResponseHeaders().put(name, List.copyOf(values));
            });
            ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] tamper(String path, byte[] bundle) {
        long index = tamperIndex;
        if (index < 0) return bundle;
        String tile = path.substring("/bastion/v1/audit/tile/entries/".length()).replaceAll("\\.p/.*$", "").replace("x", "").replace("/", "");
        if (Long.parseLong(tile) != index / 256) return bundle;
        byte[] out = bundle.clone();
        int pos = 0;
        for (int i = 0; i < index % 256; i++) pos += 2 + (((out[pos] & 0xFF) << 8) | (out[pos + 1] & 0xFF));
        int len = ((out[pos] & 0xFF) << 8) | (out[pos + 1] & 0xFF);
        String entry = new String(out, pos + 2, len, StandardCharsets.ISO_8859_1);
        int at = entry.indexOf("\"time\":\"2");
        if (at >= 0) out[pos + 2 + at + 8] = '3';
        return out;
    }

    @Override
    public void close() { server.stop(0); }
}
