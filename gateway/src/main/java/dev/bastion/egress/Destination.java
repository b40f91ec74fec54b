package dev.bastion.egress;

import java.net.URI;
import java.util.Locale;

/**
 * Somewhere Bastion may connect: a host (name or address literal, without brackets) and a port, with the purpose
 * that needs it ({@code backend:vllm}, {@code identity:jwks}, {@code siem}) for the manifest, logs and errors.
 *
 * @param scheme {@code http}, {@code https}, {@code tcp} or {@code tls} — informational, the gate checks host and
 *               port only
 */
public record Destination(String purpose, String scheme, String host, int port) {
    public Destination {
        if (purpose == null || purpose.isEmpty()) throw new IllegalArgumentException("a destination needs a purpose");
        if (host == null || host.isEmpty()) throw new IllegalArgumentException("a destination needs a host");
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1-65535");
        scheme = scheme == null ? "tcp" : scheme.toLowerCase(Locale.ROOT);
    }

    /** From a URL: host and port (80 for http, 443 for https when absent). */
    public static Destination of(String purpose, URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null) throw new IllegalArgumentException("URL has no host");
        int port = uri.getPort() > 0 ? uri.getPort() : switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> throw new IllegalArgumentException("URL has no port and no default for its scheme");
        };
        return new Destination(purpose, scheme, uri.getHost(), port);
    }

    /** {@code host:port} ({@code [v6]:port}). */
    public String address() { return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port; }

    boolean sameEndpoint(String otherHost, int otherPort) {
        return port == otherPort && host.equals(otherHost);
    }
}
