package dev.bastion.config;

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
 */
public record BackendSettings(String name, Type type, URI url, Secret apiKey, Duration connectTimeout,
                              Duration readTimeout, int maxConnections, Map<String, String> attributes,
                              UpstreamTlsSettings tls) {

    public enum Type { OPENAI, OLLAMA }

    public BackendSettings {
        attributes = Map.copyOf(attributes);
    }
}
