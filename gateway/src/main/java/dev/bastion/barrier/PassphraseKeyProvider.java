package dev.bastion.barrier;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Derives the root-key wrapping key from an operator's passphrase with Argon2id (RFC 9106, memory-hard). Salt and
 * cost are stored with the wrapped root so a later unseal derives the same key; the passphrase itself is never
 * stored. Not auto-unsealing: a server with this provider starts sealed until {@code bastion operator unseal}.
 */
public final class PassphraseKeyProvider implements KeyProvider {
    public static final String NAME = "passphrase";
    /** Shorter passphrases are refused when a root key is created (not when unsealing an existing one). */
    public static final int MIN_LENGTH = 12;

    /** Argon2id cost: memory in KiB, passes, lanes. */
    public record Argon2Params(int memoryKiB, int iterations, int parallelism) {
        /** RFC 9106's second recommended option (64 MiB, 3 passes), with one lane: ~0.2–0.5 s here. */
        public static final Argon2Params DEFAULT = new Argon2Params(64 * 1024, 3, 1);

        public Argon2Params {
            if (memoryKiB < 8 * parallelism || memoryKiB > 4 * 1024 * 1024 || iterations < 1 || iterations > 64
                    || parallelism < 1 || parallelism > 16) {
                throw new BarrierException(BarrierException.Kind.PROVIDER, "Argon2id parameters out of range");
            }
        }
    }

    private final Passphrase passphrase;
    private final Argon2Params cost;

    public PassphraseKeyProvider(Passphrase passphrase) { this(passphrase, Argon2Params.DEFAULT); }

    /** {@code cost} applies to new root keys only; an existing root is opened with its stored cost. */
    public PassphraseKeyProvider(Passphrase passphrase, Argon2Params cost) {
        this.passphrase = passphrase;
        this.cost = cost;
    }

    @Override public String name() { return NAME; }
    @Override public boolean autoUnseal() { return false; }

    @Override
    public KeyWrapper create(SecureRandom random) {
        if (passphrase.length() < MIN_LENGTH) {
            throw new BarrierException(BarrierException.Kind.PROVIDER,
                    "passphrase must have at least " + MIN_LENGTH + " characters");
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        Map<String, String> params = Map.of("kdf", "argon2id", "m", Integer.toString(cost.memoryKiB()),
                "t", Integer.toString(cost.iterations()), "p", Integer.toString(cost.parallelism()),
                "salt", Base64.getEncoder().encodeToString(salt));
        return new AesKeyWrapper(params, derive(salt, cost), random);
    }

    @Override
    public KeyWrapper open(Map<String, String> stored) {
        Argon2Params p;
        byte[] salt;
        try {
            if (!"argon2id".equals(stored.get("kdf"))) throw new IllegalArgumentException("kdf");
            p = new Argon2Params(Integer.parseInt(stored.get("m")), Integer.parseInt(stored.get("t")),
                    Integer.parseInt(stored.get("p")));
            salt = Base64.getDecoder().decode(stored.get("salt"));
            if (salt.length < 16) throw new IllegalArgumentException("salt");
        } catch (RuntimeException e) {
            if (e instanceof BarrierException be) throw be;
            throw new BarrierException(BarrierException.Kind.PROVIDER, "stored passphrase parameters are invalid");
        }
        return new AesKeyWrapper(Map.copyOf(stored), derive(salt, p), new SecureRandom());
    }

    private byte[] derive(byte[] salt, Argon2Params p) {
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(p.memoryKiB()).withIterations(p.iterations())
                .withParallelism(p.parallelism()).build());
        char[] chars = passphrase.chars();
        byte[] out = new byte[AesKey.LENGTH];
        try {
            gen.generateBytes(chars, out);
        } finally {
            Arrays.fill(chars, '\0');
        }
        return out;
    }

    @Override
    public String toString() { return "PassphraseKeyProvider[" + cost + "]"; }
}
