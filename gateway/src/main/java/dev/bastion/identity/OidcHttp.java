package dev.bastion.identity;

import dev.bastion.egress.EgressHttp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;

/**
 * Small, bounded HTTP GETs to an identity provider through the egress gate: HTTPS only (plain HTTP only to loopback,
 * for local providers and tests), no redirects, a timeout, and a size cap, so a slow or hostile endpoint cannot hang
 * or flood us.
 */
final class OidcHttp {
    static final int MAX_BYTES = 512 * 1024;
    static final String PURPOSE = "identity";

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

    static String get(EgressHttp http, URI uri, Duration timeout) throws IOException {
        checkScheme(uri);
        var request = EgressHttp.Request.get(PURPOSE, uri, timeout).withHeader("Accept", "application/json");
        EgressHttp.Response response = http.send(request, MAX_BYTES);
        // a redirect is not followed: the provider must publish its documents where the configuration says
        if (response.status() != 200) throw new IOException("identity provider answered " + response.status());
        return response.text();
    }
}
