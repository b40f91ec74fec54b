package dev.bastion.audit;

import java.util.function.Supplier;

/**
 * Where the log's Ed25519 signing key (a 32-byte seed) is kept. The key is created on first start; every process
 * sharing a store must end up with the same key, so implementations keep the first key stored and return it to
 * later callers. The barrier can wrap an implementation to encrypt the seed at rest.
 */
public interface SigningKeyStore {

    /** The stored seed; if there is none yet, stores {@code generate.get()} unless another process won the race. */
    byte[] loadOrCreate(Supplier<byte[]> generate);
}
