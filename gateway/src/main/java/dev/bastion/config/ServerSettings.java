package dev.bastion.config;

import java.time.Duration;

/**
 * The HTTP listener.
 *
 * @param host            bind address; plain HTTP is only allowed on loopback
 * @param port            port, 0 = any free port (tests)
 * @param maxBodyBytes    largest request body accepted (413 {@code body_too_large} past it)
 * @param maxHeaderBytes  largest header block accepted (431 past it)
 * @param readTimeout     how long a client may stay silent while sending a request (slow clients)
 * @param idleTimeout     keep-alive connections idle longer than this are closed
 * @param shutdownGrace   how long a shutdown waits for in-flight requests and streams to finish
 * @param maxConnections  concurrent TCP connections accepted
 * @param tls             listener TLS and client-certificate settings
 */
public record ServerSettings(String host, int port, long maxBodyBytes, int maxHeaderBytes, Duration readTimeout,
                             Duration idleTimeout, Duration shutdownGrace, int maxConnections, TlsSettings tls) {

    /** {@code https} when the listener uses TLS. */
    public String scheme() { return tls.enabled() ? "https" : "http"; }
}
