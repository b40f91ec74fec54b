package dev.bastion.config;

import dev.bastion.common.Secret;

import java.nio.file.Path;
import java.util.List;

/**
 * TLS towards one backend ({@code backends[].tls}): trusted CA (default: the JDK's trust store), optional SPKI
 * SHA-256 pins, optional client certificate. Hostname verification is always on.
 */
public record UpstreamTlsSettings(Path ca, List<String> spkiPins, Path clientChain, Path clientKey,
                                  Secret clientKeyPassword, boolean allowTls12) {
    public static final UpstreamTlsSettings DEFAULT = new UpstreamTlsSettings(null, List.of(), null, null, Secret.NONE, false);

    public UpstreamTlsSettings {
        spkiPins = List.copyOf(spkiPins);
    }
}
