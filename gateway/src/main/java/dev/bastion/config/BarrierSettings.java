package dev.bastion.config;

import java.util.Map;

/**
 * The storage barrier's key provider ({@code barrier:}): {@code insecure-file} (the default, for a first start on
 * a workstation: the root key lies beside the data, and the log says so), {@code passphrase} (starts sealed until
 * {@code bastion operator unseal}) or {@code pkcs11} (an HSM; unseals itself). {@code section} holds the validated
 * provider keys in the shape {@code dev.bastion.barrier.KeyProviderConfig} reads.
 */
public record BarrierSettings(String provider, Map<String, Object> section) {
    public BarrierSettings {
        section = Map.copyOf(section);
    }
}
