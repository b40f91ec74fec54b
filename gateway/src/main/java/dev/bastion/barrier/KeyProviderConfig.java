package dev.bastion.barrier;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code barrier:} section of the server config, as the YAML loader hands it over (a map). Names:
 * <pre>
 * barrier:
 *   provider: passphrase | pkcs11 | insecure-file
 *   pkcs11: { library: /usr/lib/softhsm/libsofthsm2.so, slot: 123 (or slot-list-index: 0), key-label: bastion-root,
 *             pin-env: BASTION_HSM_PIN (or pin-file: /run/secrets/hsm-pin), create-key: true }
 *   insecure-file: { path: insecure-root.key }          # relative to the data directory
 *   passphrase: { memory-kib: 65536, iterations: 3, parallelism: 1 }   # cost for a new root key only
 * </pre>
 */
public final class KeyProviderConfig {
    private KeyProviderConfig() {}

    /** The configured provider name ({@code passphrase} when absent). */
    public static String providerName(Map<String, ?> barrier) {
        Object p = barrier == null ? null : barrier.get("provider");
        return p == null ? PassphraseKeyProvider.NAME : p.toString();
    }

    /**
     * The provider that can open the barrier without an operator, or empty for {@code passphrase} (the server then
     * starts sealed and waits for {@code bastion operator unseal}).
     */
    public static Optional<KeyProvider> autoProvider(Map<String, ?> barrier, Path dataDir) {
        String name = providerName(barrier);
        return switch (name) {
            case PassphraseKeyProvider.NAME -> Optional.empty();
            case InsecureFileKeyProvider.NAME -> {
                Map<String, ?> s = section(barrier, "insecure-file");
                Object path = s.get("path");
                yield Optional.of(new InsecureFileKeyProvider(dataDir.resolve(path == null ? "insecure-root.key" : path.toString())));
            }
            case Pkcs11KeyProvider.NAME -> {
                Map<String, ?> s = section(barrier, "pkcs11");
                Object lib = require(s, "library"), label = s.get("key-label");
                Passphrase pin = s.get("pin-file") != null ? Passphrase.fromFile(Path.of(s.get("pin-file").toString()))
                        : Passphrase.fromEnv(String.valueOf(require(s, "pin-env")));
                yield Optional.of(new Pkcs11KeyProvider(new Pkcs11KeyProvider.Config(Path.of(lib.toString()),
                        s.get("slot") == null ? null : Long.valueOf(s.get("slot").toString()),
                        s.get("slot-list-index") == null ? null : Integer.valueOf(s.get("slot-list-index").toString()),
                        label == null ? "bastion-root" : label.toString(), pin, Boolean.parseBoolean(String.valueOf(s.get("create-key"))))));
            }
            default -> throw new BarrierException(BarrierException.Kind.PROVIDER,
                    "unknown barrier provider '" + name + "' (passphrase, pkcs11, insecure-file)");
        };
    }

    /** The passphrase provider with the configured Argon2id cost (used by {@code operator init} and {@code unseal}). */
    public static PassphraseKeyProvider passphrase(Map<String, ?> barrier, Passphrase passphrase) {
        Map<String, ?> s = section(barrier, "passphrase");
        var d = PassphraseKeyProvider.Argon2Params.DEFAULT;
        return new PassphraseKeyProvider(passphrase, new PassphraseKeyProvider.Argon2Params(
                intOr(s, "memory-kib", d.memoryKiB()), intOr(s, "iterations", d.iterations()), intOr(s, "parallelism", d.parallelism())));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> section(Map<String, ?> barrier, String name) {
        Object s = barrier == null ? null : barrier.get(name);
        return s instanceof Map<?, ?> m ? (Map<String, ?>) m : Map.of();
    }

    private static Object require(Map<String, ?> s, String key) {
        Object v = s.get(key);
        if (v == null) throw new BarrierException(BarrierException.Kind.PROVIDER, "barrier config is missing '" + key + "'");
        return v;
    }

    private static int intOr(Map<String, ?> s, String key, int fallback) {
        Object v = s.get(key);
        try {
            return v == null ? fallback : Integer.parseInt(v.toString());
        } catch (NumberFormatException e) {
            throw new BarrierException(BarrierException.Kind.PROVIDER, "barrier config '" + key + "' is not a number");
        }
    }
}
