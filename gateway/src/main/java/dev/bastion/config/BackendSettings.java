package dev.bastion.config;

import dev.bastion.attest.AttestationSettings;
import dev.bastion.common.Secret;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One model server Bastion may call. Only URLs declared here are ever connected to (the egress allow-list).
 *
 * @param name           unique name, used by model aliases, metrics and audit
 * @param type           wire protocol
 * @param url            base URL: {@code http(s)://host:port/v1} for {@code openai}, {@code http(s)://host:port}
 *                       for {@code ollama}
 * @param apiKey         credential sent upstream as a bearer token, or {@link Secret#NONE}
 * @param connectTimeout TCP (and TLS) connect timeout
 * @param readTimeout    longest silence while waiting for the upstream's answer or its next stream chunk
 * @param maxConnections pooled connections kept and concurrent calls allowed
 * @param attributes     free attributes for policy and routing (region, max classification, …)
 * @param tls            TLS towards this backend when its URL is https
 * @param balancing      concurrency limit and queue, health checks and passive ejection
 * @param attestation    what the backend must prove by hardware-signed evidence bound to its TLS key, or null
 */
public record BackendSettings(String name, Type type, URI url, Secret apiKey, Duration connectTimeout,
                              Duration readTimeout, int maxConnections, Map<String, String> attributes,
                              UpstreamTlsSettings tls, Balancing balancing, AttestationSettings attestation) {

    public enum Type { OPENAI, OLLAMA }

    /**
     * How routing treats this backend.
     *
     * @param maxConcurrency calls in flight at once; more wait in the queue
     * @param queue          calls that may wait for a slot; beyond it the next backend is tried (or 429)
     * @param queueTimeout   longest wait in the queue
     * @param healthInterval time between active health probes; zero turns them off
     * @param ejectAfter     consecutive failures that take the backend out of rotation
     * @param ejectFor       first time out of rotation (doubles on each further ejection, at most 5 minutes)
     */
    public record Balancing(int maxConcurrency, int queue, Duration queueTimeout, Duration healthInterval,
                            int ejectAfter, Duration ejectFor) {
        public static Balancing defaults(int maxConnections) {
            return new Balancing(maxConnections, 64, Duration.ofSeconds(5), Duration.ZERO, 3,
                    Duration.ofSeconds(5));
        }
    }

    public BackendSettings {
        attributes = Map.copyOf(attributes);
        if (balancing == null) balancing = Balancing.defaults(maxConnections);
    }

    public BackendSettings(String name, Type type, URI url, Secret apiKey, Duration connectTimeout, Duration readTimeout,
                           int maxConnections, Map<String, String> attributes, UpstreamTlsSettings tls,
                           Balancing balancing) {
        this(name, type, url, apiKey, connectTimeout, readTimeout, maxConnections, attributes, tls, balancing, null);
    }

    /** With default balancing. */
    public BackendSettings(String name, Type type, URI url, Secret apiKey, Duration connectTimeout, Duration readTimeout,
                           int maxConnections, Map<String, String> attributes, UpstreamTlsSettings tls) {
        this(name, type, url, apiKey, connectTimeout, readTimeout, maxConnections, attributes, tls, null);
    }
}
