package dev.bastion.barrier;

import dev.bastion.store.Database;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.StampedLock;

/**
 * The storage barrier: the one place where persisted sensitive values are encrypted and decrypted (DESIGN §4).
 * <p>Key hierarchy: a {@link KeyProvider} (passphrase, PKCS#11 HSM, or an insecure dev file) wraps a random root
 * key; the root key wraps the keyring of AES-256 data keys; the newest data key encrypts, every older one still
 * decrypts. Per-data-subject keys ({@link #forSubject}) are wrapped by a data key and can be destroyed
 * ({@link #shredSubject}) to make that subject's values unreadable for good.
 * <p>Seal state: a barrier starts sealed (or uninitialised); {@link #unseal} with the right provider opens it and
 * {@link #seal} wipes every key from memory. While sealed every operation fails with
 * {@link BarrierException.Kind#SEALED}. Encrypt/decrypt use an optimistic {@link StampedLock} read so the hot path
 * takes no lock; a result computed while a seal raced it is thrown away.
 */
public final class Barrier implements RecordCipher {

    public enum State { UNINITIALIZED, SEALED, UNSEALED }

    /** What an operator may see: never key material. */
    public record Status(State state, String provider, List<Integer> keyIds, int activeKeyId) {}

    /**
     * @param chunkShift       values larger than {@code 2^chunkShift} bytes are encrypted in chunks of that size
     * @param subjectCacheTtl  how long a subject key (or its shredded tombstone) is trusted before re-reading the
     *                         store; bounds how long another replica can still read a just-shredded subject
     */
    public record Options(int chunkShift, Duration subjectCacheTtl) {
        public static final Options DEFAULT = new Options(ChunkedAead.DEFAULT_SHIFT, Duration.ofSeconds(30));

        public Options {
            if (chunkShift < ChunkedAead.MIN_SHIFT || chunkShift > ChunkedAead.MAX_SHIFT) {
                throw new IllegalArgumentException("chunkShift must be in [" + ChunkedAead.MIN_SHIFT + ", " + ChunkedAead.MAX_SHIFT + "]");
            }
        }
    }

    private final KeyringStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final Options options;
    private final StampedLock lock = new StampedLock();
    private volatile Unsealed open;

    private Barrier(DataSource ds, Clock clock, SecureRandom random, Options options) {
        this.store = new KeyringStore(ds);
        this.clock = clock;
        this.random = random;
        this.options = options;
    }

    /** A sealed barrier over the store's V400 tables. */
    public static Barrier over(Database db) { return over(db.dataSource(), Clock.systemUTC(), defaultRandom(), Options.DEFAULT); }

    public static Barrier over(DataSource ds, Clock clock, SecureRandom random, Options options) {
        return new Barrier(ds, clock, random, options);
    }

    /**
     * Start-up: with an auto-unseal provider (PKCS#11, insecure file) initialise on first start and unseal;
     * with a passphrase provider (or none) stay sealed until an operator unseals.
     */
    public static Barrier start(Database db, Optional<KeyProvider> provider) {
        Barrier b = over(db);
        provider.filter(KeyProvider::autoUnseal).ifPresent(p -> {
            if (b.status().state() == State.UNINITIALIZED) {
                try {
                    b.initialize(p);
                    return;
                } catch (BarrierException e) {
                    // two replicas starting at once on a fresh store: the other one initialised first
                    if (e.kind() != BarrierException.Kind.STATE) throw e;
                }
            }
            b.unseal(p);
        });
        return b;
    }

    static SecureRandom defaultRandom() {
        try {
            return SecureRandom.getInstance("NativePRNGNonBlocking"); // /dev/urandom, never blocks
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    // ---- lifecycle ----

    public Status status() {
        Unsealed o = open;
        Optional<KeyringStore.RootRow> root = store.root();
        if (root.isEmpty()) return new Status(State.UNINITIALIZED, null, List.of(), 0);
        if (o == null) return new Status(State.SEALED, root.get().provider(), List.of(), 0);
        Unsealed.Keyring kr = o.keyring();
        return new Status(State.UNSEALED, root.get().provider(), kr.keys().keySet().stream().sorted().toList(), kr.active());
    }

    public boolean isSealed() { return open == null; }

    /** Creates the root key and the first data key, protected by {@code provider}, and leaves the barrier unsealed. */
    public void initialize(KeyProvider provider) {
        long stamp = lock.writeLock();
        try {
            if (store.root().isPresent()) throw new BarrierException(BarrierException.Kind.STATE, "the barrier is already initialised");
            byte[] root = new byte[AesKey.LENGTH];
            random.nextBytes(root);
            byte[] wrappedRoot;
            KeyringStore.RootRow row;
            try (KeyProvider.KeyWrapper w = provider.create(random)) {
                wrappedRoot = w.wrap(root, Unsealed.ROOT_AD.getBytes(StandardCharsets.UTF_8));
                row = new KeyringStore.RootRow(provider.name(), w.params(), wrappedRoot, clock.millis());
            }
            Unsealed u = new Unsealed(root, store, clock, random, options.subjectCacheTtl().toMillis());
            byte[] first = new byte[AesKey.LENGTH];
            random.nextBytes(first);
            if (!store.initialize(row, new KeyringStore.KeyRow(1, u.wrapDataKey(1, first), clock.millis()))) {
                u.destroy();
                Arrays.fill(first, (byte) 0);
                throw new BarrierException(BarrierException.Kind.STATE, "another process initialised the barrier first");
            }
            u.add(1, first);
            open = u;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Opens the barrier. Already open: no-op. Wrong passphrase or key: {@link BarrierException.Kind#UNSEAL_FAILED}. */
    public void unseal(KeyProvider provider) {
        long stamp = lock.writeLock();
        try {
            if (open != null) return;
            KeyringStore.RootRow row = store.root().orElseThrow(() ->
                    new BarrierException(BarrierException.Kind.STATE, "the barrier is not initialised"));
            if (!row.provider().equals(provider.name())) {
                throw new BarrierException(BarrierException.Kind.UNSEAL_FAILED,
                        "the store is protected by provider '" + row.provider() + "', not '" + provider.name() + "'");
            }
            byte[] root;
            try (KeyProvider.KeyWrapper w = provider.open(row.params())) {
                root = w.unwrap(row.wrappedRoot(), Unsealed.ROOT_AD.getBytes(StandardCharsets.UTF_8));
            }
            Unsealed u = new Unsealed(root, store, clock, random, options.subjectCacheTtl().toMillis());
            try {
                u.refresh();
                if (u.keyring().keys().isEmpty()) {
                    throw new BarrierException(BarrierException.Kind.TAMPERED, "the keyring in the store is empty");
                }
            } catch (RuntimeException e) {
                u.destroy();
                throw e;
            }
            open = u;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Wipes every key from memory; from now on every operation fails with {@code sealed}. */
    public void seal() {
        long stamp = lock.writeLock();
        try {
            Unsealed o = open;
            open = null;
            if (o != null) o.destroy();
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Re-wraps the root key for another provider (new passphrase, moving to an HSM); the old one stops working. */
    public void changeProvider(KeyProvider provider) {
        long stamp = lock.writeLock();
        try {
            Unsealed o = requireOpen();
            byte[] root = o.rootCopy();
            try (KeyProvider.KeyWrapper w = provider.create(random)) {
                store.replaceRoot(new KeyringStore.RootRow(provider.name(), w.params(),
                        w.wrap(root, Unsealed.ROOT_AD.getBytes(StandardCharsets.UTF_8)), clock.millis()));
            } finally {
                Arrays.fill(root, (byte) 0);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Adds a data key and makes it the one that encrypts; returns its id. Old keys keep decrypting. */
    public int rotate() {
        return guarded((o, guard) -> {
            for (int attempt = 0; attempt < 5; attempt++) {
                o.refresh();
                int id = o.keyring().active() + 1;
                byte[] key = new byte[AesKey.LENGTH];
                random.nextBytes(key);
                byte[] wrapped = o.wrapDataKey(id, key);
                guard.run();
                if (store.addKey(new KeyringStore.KeyRow(id, wrapped, clock.millis()))) {
                    o.add(id, key);
                    return id;
                }
                Arrays.fill(key, (byte) 0); // another replica took this id: load it and try the next
            }
            throw new IllegalStateException("could not add a data key");
        });
    }

    /** Loads data keys added by other replicas. */
    public void refresh() { guarded((o, g) -> { o.refresh(); return null; }); }

    public int activeKeyId() { return guarded((o, g) -> o.keyring().active()); }

    // ---- values ----

    @Override
    public byte[] encrypt(String path, byte[] plaintext) {
        byte[] p = Envelope.pathBytes(path);
        return guarded((o, g) -> {
            Unsealed.Keyring kr = o.keyring();
            return plaintext.length > (1 << options.chunkShift())
                    ? ChunkedAead.seal(kr.activeKey(), Envelope.CHUNKED_KEYRING, kr.active(), p, plaintext, options.chunkShift(), random)
                    : Aead.seal(kr.activeKey(), Envelope.SINGLE_KEYRING, kr.active(), p, plaintext, random);
        });
    }

    @Override
    public byte[] decrypt(String path, byte[] ciphertext) {
        byte[] p = Envelope.pathBytes(path);
        return guarded((o, g) -> {
            Envelope.Header h = Envelope.parse(ciphertext);
            if (h.pathCheck() != Envelope.pathCheck(p)) {
                throw new BarrierException(BarrierException.Kind.WRONG_PATH, "ciphertext belongs to another record");
            }
            AesKey key = h.subject() ? o.subjectKey(h.keyId()) : o.dataKey((int) h.keyId());
            return h.chunked() ? ChunkedAead.open(key, h, p, ciphertext) : Aead.open(key, h, p, ciphertext);
        });
    }

    /** Re-encrypts under the newest data key; returns the same array when nothing is to do (current key, subject key). */
    public byte[] rewrap(String path, byte[] ciphertext) {
        requireOpen();
        Envelope.Header h = Envelope.parse(ciphertext);
        if (h.subject() || h.keyId() == activeKeyId()) return ciphertext;
        byte[] plain = decrypt(path, ciphertext);
        try {
            return encrypt(path, plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The data key id in a keyring ciphertext's header, or -1 for a subject-key ciphertext. Needs no key. */
    public static long keyIdOf(byte[] ciphertext) {
        Envelope.Header h = Envelope.parse(ciphertext);
        return h.subject() ? -1 : h.keyId();
    }

    /** Encrypts a stream of any size in chunks; closing the returned stream writes the last chunk. */
    public OutputStream encryptingStream(String path, OutputStream sink) throws IOException {
        byte[] p = Envelope.pathBytes(path);
        Unsealed[] at = new Unsealed[1];
        ChunkedAead.Sealer s = guarded((o, g) -> {
            at[0] = o;
            Unsealed.Keyring kr = o.keyring();
            byte[] header = ChunkedAead.newHeader(Envelope.CHUNKED_KEYRING, kr.active(), p, options.chunkShift(), random);
            return new ChunkedAead.Sealer(header, p, kr.activeKey(), javax.crypto.Cipher.ENCRYPT_MODE);
        });
        return new ChunkedStreams.Encrypting(sink, s, () -> { if (open != at[0]) throw BarrierException.sealed(); });
    }

    /** Decrypts what {@link #encryptingStream} wrote; a dropped, reordered or altered chunk fails {@code tampered}. */
    public InputStream decryptingStream(String path, InputStream source) throws IOException {
        byte[] p = Envelope.pathBytes(path);
        int v = source.read();
        int kid = v < 0 ? -1 : Envelope.keyIdLength((byte) v);
        if (kid < 0 || (v != Envelope.CHUNKED_KEYRING && v != Envelope.CHUNKED_SUBJECT)) throw Envelope.malformed();
        byte[] header = new byte[1 + kid + 4 + ChunkedAead.HEADER_EXTRA];
        header[0] = (byte) v;
        if (source.readNBytes(header, 1, header.length - 1) != header.length - 1) throw Envelope.malformed();
        int shift = header[header.length - ChunkedAead.HEADER_EXTRA];
        if (shift < ChunkedAead.MIN_SHIFT || shift > ChunkedAead.MAX_SHIFT) throw Envelope.malformed();
        long keyId = kid == 4 ? Envelope.getInt(header, 1) & 0xFFFFFFFFL : Envelope.getLong(header, 1);
        if (Envelope.getInt(header, 1 + kid) != Envelope.pathCheck(p)) {
            throw new BarrierException(BarrierException.Kind.WRONG_PATH, "ciphertext belongs to another record");
        }
        ChunkedAead.Sealer opener = guarded((o, g) -> {
            AesKey key = v == Envelope.CHUNKED_SUBJECT ? o.subjectKey(keyId) : o.dataKey((int) keyId);
            return new ChunkedAead.Sealer(header, p, key, javax.crypto.Cipher.DECRYPT_MODE);
        });
        return new ChunkedStreams.Decrypting(source, opener);
    }

    // ---- data subjects ----

    /** Values encrypted through this view die with the subject's key ({@link #shredSubject}). */
    public RecordCipher forSubject(String subjectId) {
        return new RecordCipher() {
            @Override
            public byte[] encrypt(String path, byte[] plaintext) {
                byte[] p = Envelope.pathBytes(path);
                return guarded((o, guard) -> {
                    Unsealed.SubjectKey k = o.liveSubjectKey(subjectId, guard);
                    return plaintext.length > (1 << options.chunkShift())
                            ? ChunkedAead.seal(k.key(), Envelope.CHUNKED_SUBJECT, k.id(), p, plaintext, options.chunkShift(), random)
                            : Aead.seal(k.key(), Envelope.SINGLE_SUBJECT, k.id(), p, plaintext, random);
                });
            }

            @Override
            public byte[] decrypt(String path, byte[] ciphertext) { return Barrier.this.decrypt(path, ciphertext); }

            @Override
            public String toString() { return "SubjectCipher[<redacted>]"; }
        };
    }

    /** Destroys the subject's key: everything encrypted for them now fails with {@code shredded}. False if they had none. */
    public boolean shredSubject(String subjectId) {
        return destroySubjectKey(subjectId).isPresent();
    }

    /** As {@link #shredSubject}, returning the id of the destroyed key (for an erasure proof). */
    public Optional<Long> destroySubjectKey(String subjectId) {
        return guarded((o, g) -> o.shred(subjectId));
    }

    /** Destroys a subject key by its id (when only the subject's token and key id are known). */
    public boolean destroySubjectKeyById(long keyId) {
        return guarded((o, g) -> o.shredKey(keyId));
    }

    /**
     * A data subject's keyed token and the id of the key it is computed under. The token stands for the subject in
     * every table and in the audit log; destroying the key makes it impossible to compute from the subject id again.
     */
    public record SubjectToken(long keyId, String token) {
        @Override
        public String toString() { return "SubjectToken[key " + keyId + ", " + token + "]"; }
    }

    /** The subject's token under their live key, creating the key on first use. */
    public SubjectToken subjectToken(String subjectId) {
        return guarded((o, guard) -> {
            Unsealed.SubjectKey k = o.liveSubjectKey(subjectId, guard);
            return new SubjectToken(k.id(), Unsealed.token(k, subjectId));
        });
    }

    /** The subject's token if they have a live key; empty otherwise (no key is created). */
    public Optional<SubjectToken> existingSubjectToken(String subjectId) {
        return guarded((o, guard) -> o.existingSubjectKey(subjectId)
                .map(k -> new SubjectToken(k.id(), Unsealed.token(k, subjectId))));
    }

    /** Drops cached subject keys so the next use reads the store (after another replica shredded one). */
    public void forgetSubjectKeys() {
        Unsealed o = open;
        if (o != null) o.forgetSubjects();
    }

    // ---- guard ----

    private interface Op<T> { T run(Unsealed open, Runnable guard); }

    private Unsealed requireOpen() {
        Unsealed o = open;
        if (o == null) throw BarrierException.sealed();
        return o;
    }

    /** Runs {@code op} on the open state; if a seal raced it, its result is discarded and the caller gets {@code sealed}. */
    private <T> T guarded(Op<T> op) {
        long stamp = lock.tryOptimisticRead();
        Unsealed o = open;
        if (stamp == 0 || o == null) throw BarrierException.sealed();
        Runnable guard = () -> { if (!lock.validate(stamp)) throw BarrierException.sealed(); };
        T result;
        try {
            result = op.run(o, guard);
        } catch (RuntimeException | Error e) {
            if (!lock.validate(stamp)) throw BarrierException.sealed();
            throw e;
        }
        if (!lock.validate(stamp)) throw BarrierException.sealed();
        return result;
    }

 /** For tests in this package: the live key state (null when sealed). */
    Unsealed openStateForTests() { return open; }

    @Override
    public String toString() { return "Barrier[" + (open == null ? "sealed" : "unsealed") + "]"; }
}
