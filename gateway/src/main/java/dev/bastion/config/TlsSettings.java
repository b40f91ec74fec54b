package dev.bastion.config;

import dev.bastion.common.Secret;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The listener's TLS ({@code server.tls}). {@code mode: none} is plain HTTP and only allowed on loopback;
 * {@code generated} creates a local CA and server certificate in the data directory on first start.
 *
 * @param mtlsRules client-certificate → principal rules ({@code subject}/{@code san} regex, {@code type},
 *                  {@code roles}, {@code models}), tried in order
 */
public record TlsSettings(Mode mode, Path certChain, Path privateKey, Secret keyPassword, Path pkcs12,
                          Secret pkcs12Password, boolean allowTls12, ClientAuth clientAuth, Path clientCa,
                          Duration reloadInterval, List<String> hostNames, List<Map<String, Object>> mtlsRules) {

    public enum Mode { NONE, FILES, PKCS12, GENERATED }

    public enum ClientAuth { NONE, OPTIONAL, REQUIRED }

    public TlsSettings {
        hostNames = List.copyOf(hostNames);
        mtlsRules = List.copyOf(mtlsRules);
    }

    public boolean enabled() { return mode != Mode.NONE; }
}
