package dev.bastion.identity;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Small, bounded HTTP GETs to an identity provider: HTTPS only (plain HTTP only to loopback, for local providers
 * and tests), no redirects, a timeout, and a size cap, so a slow or hostile endpoint cannot hang or flood us.
 */
final class OidcHttp {
    static final int MAX_BYTES = 512 * 1024;

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private OidcHttp() {}

    static void checkScheme(URI uri) {
        String scheme = uri.getScheme();
        if ("https".equalsIgnoreCase(scheme)) return;
        if ("http".equalsIgnoreCase(scheme) && isLoopback(uri.getHost())) return;
        throw new IllegalArgumentException("identity provider URLs must be https (http only for loopback)");
    }

    private static boolean isLoopback(String host) {
        if (host == null) return false;
        if (host.equals("localhost")) return true;
        try {
            return InetAddress.ofLiteral(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String get(URI uri, Duration timeout) throws IOException {
        checkScheme(uri);
        var request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) throw new IOException("identity provider answered " + response.statusCode());
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) throw new IOException("identity provider document larger than " + MAX_BYTES);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

}
