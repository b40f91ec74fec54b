package dev.bastion.barrier;

import javax.crypto.KDF;
import javax.crypto.Mac;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything that exists only while the barrier is open: the root key, the keyring of data keys and a cache of
 * data-subject keys. {@link #destroy()} wipes all of it. Callers guard every use against a concurrent seal
 * ({@link Barrier}); methods here that write to the store take a {@code guard} to re-check just before writing.
 */
final class Unsealed {
    static final String ROOT_AD = "barrier/root";

    /** Immutable snapshot; rotation publishes a new one. */
    record Keyring(Map<Integer, AesKey> keys, int active) {
        AesKey activeKey() { return keys.get(active); }
    }

    /** A subject key, or a tombstone ({@code key == null}) when it was shredded. */
    record SubjectKey(long id, AesKey key, long loadedAt) {}

    private final AesKey root;
    private final byte[] subjectRefKey;
    private final KeyringStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final long subjectTtlMillis;
    private volatile Keyring keyring;
    private volatile long lastRefresh;
    private final ConcurrentHashMap<Long, SubjectKey> subjectsById = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SubjectKey> subjectsByRef = new ConcurrentHashMap<>();

    Unsealed(byte[] root, KeyringStore store, Clock clock, SecureRandom random, long subjectTtlMillis) {
        this.root = new AesKey(root);
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.subjectTtlMillis = subjectTtlMillis;
        this.subjectRefKey = hkdf(this.root, "bastion/subject-ref/v1");
        this.keyring = new Keyring(Map.of(), 0);
    }

    Keyring keyring() { return keyring; }

    static String keyAd(int id) { return "barrier/keyring/" + id; }

    static String subjectKeyPath(long id) { return "barrier/subject-keys/" + id; }

    byte[] wrapDataKey(int id, byte[] key) {
        return Aead.wrap(root, key, keyAd(id).getBytes(StandardCharsets.UTF_8), random);
    }

    byte[] rootCopy() { return root.copyBytes(); }

    /** Loads keys the snapshot does not have yet (after unseal, or another replica's rotation). */
    synchronized void refresh() {
        Keyring current = keyring;
        Map<Integer, AesKey> keys = new HashMap<>(current.keys());
        int active = current.active();
        for (KeyringStore.KeyRow row : store.keys()) {
            if (keys.containsKey(row.keyId())) continue;
            byte[] k = Aead.unwrap(root, row.wrapped(), keyAd(row.keyId()).getBytes(StandardCharsets.UTF_8),
                    BarrierException.Kind.TAMPERED);
            keys.put(row.keyId(), new AesKey(k));
            active = Math.max(active, row.keyId());
        }
        lastRefresh = clock.millis();
        keyring = new Keyring(Map.copyOf(keys), active);
    }

    /** Publishes a key this process just stored. */
    synchronized void add(int id, byte[] key) {
        Map<Integer, AesKey> keys = new HashMap<>(keyring.keys());
        keys.put(id, new AesKey(key));
        keyring = new Keyring(Map.copyOf(keys), Math.max(id, keyring.active()));
    }

    AesKey dataKey(int id) {
        AesKey k = keyring.keys().get(id);
        // an unknown id newer than ours may come from another replica's rotation; look at most once a second
        if (k == null && id > keyring.active() && clock.millis() - lastRefresh > 1000) {
            refresh();
            k = keyring.keys().get(id);
        }
        if (k == null) throw new BarrierException(BarrierException.Kind.UNKNOWN_KEY, "data key " + id + " is not in the keyring");
        return k;
    }

    AesKey subjectKey(long id) {
        SubjectKey cached = subjectsById.get(id);
        if (cached == null || clock.millis() - cached.loadedAt() > subjectTtlMillis) {
            KeyringStore.SubjectRow row = store.subjectById(id).orElseThrow(() ->
                    new BarrierException(BarrierException.Kind.UNKNOWN_KEY, "subject key is not in the store"));
            cached = load(row);
        }
        if (cached.key() == null) throw new BarrierException(BarrierException.Kind.SHREDDED, "the data subject's key was destroyed");
        return cached.key();
    }

    /** The subject's live key, created (and stored) on first use; {@code guard} runs right before the insert. */
    SubjectKey liveSubjectKey(String subjectId, Runnable guard) {
        byte[] ref = subjectRef(subjectId);
        String refHex = HexFormat.of().formatHex(ref);
        SubjectKey cached = subjectsByRef.get(refHex);
        if (cached != null && cached.key() != null && clock.millis() - cached.loadedAt() <= subjectTtlMillis) return cached;
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<KeyringStore.SubjectRow> row = store.liveSubject(ref);
            if (row.isPresent()) {
                SubjectKey k = load(row.get());
                if (k.key() != null) {
                    subjectsByRef.put(refHex, k);
                    return k;
                }
            }
            long id = random.nextLong() & Long.MAX_VALUE;
            if (id == 0) continue;
            byte[] key = new byte[AesKey.LENGTH];
            random.nextBytes(key);
            Keyring kr = keyring;
            byte[] wrapped = Aead.seal(kr.activeKey(), Envelope.SINGLE_KEYRING, kr.active(),
                    Envelope.pathBytes(subjectKeyPath(id)), key, random);
            guard.run();
            if (store.addSubject(new KeyringStore.SubjectRow(id, ref, wrapped, clock.millis(), null))) {
                SubjectKey k = new SubjectKey(id, new AesKey(key), clock.millis());
                subjectsById.put(id, k);
                subjectsByRef.put(refHex, k);
                return k;
            }
            java.util.Arrays.fill(key, (byte) 0);
        }
        throw new IllegalStateException("could not create a subject key");
    }

    private SubjectKey load(KeyringStore.SubjectRow row) {
        SubjectKey k;
        if (row.wrapped() == null) {
            k = new SubjectKey(row.keyId(), null, clock.millis());
        } else {
            byte[] wrapped = row.wrapped();
            Envelope.Header h = Envelope.parse(wrapped);
            byte[] path = Envelope.pathBytes(subjectKeyPath(row.keyId()));
            if (h.subject() || h.chunked() || h.pathCheck() != Envelope.pathCheck(path)) {
                throw new BarrierException(BarrierException.Kind.TAMPERED, "subject key record is not a wrapped key");
            }
            k = new SubjectKey(row.keyId(), new AesKey(Aead.open(dataKey((int) h.keyId()), h, path, wrapped)), clock.millis());
        }
        SubjectKey previous = subjectsById.put(row.keyId(), k);
        if (previous != null && previous.key() != null && previous.key() != k.key()) previous.key().destroy();
        return k;
    }

    /** The subject's live key if it has one; never creates a key (looking someone up must not register them). */
    Optional<SubjectKey> existingSubjectKey(String subjectId) {
        byte[] ref = subjectRef(subjectId);
        String refHex = HexFormat.of().formatHex(ref);
        SubjectKey cached = subjectsByRef.get(refHex);
        if (cached != null && cached.key() != null && clock.millis() - cached.loadedAt() <= subjectTtlMillis) {
            return Optional.of(cached);
        }
        Optional<KeyringStore.SubjectRow> row = store.liveSubject(ref);
        if (row.isEmpty()) return Optional.empty();
        SubjectKey k = load(row.get());
        if (k.key() == null) return Optional.empty();
        subjectsByRef.put(refHex, k);
        return Optional.of(k);
    }

    /**
     * The subject's keyed token under {@code k}: HMAC-SHA-256 under a key derived from the subject key, first 16
     * bytes in hex. Dies with the key: once it is destroyed nobody can compute it from the subject id again.
     */
    static String token(SubjectKey k, String subjectId) {
        byte[] tokenKey = hkdf(k.key(), "bastion/subject-token/v1");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(tokenKey, "HmacSHA256"));
            byte[] h = mac.doFinal(subjectId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            java.util.Arrays.fill(tokenKey, (byte) 0);
        }
    }

    /** Forgets cached subject keys, so the next use re-reads the store (another replica may have shredded one). */
    void forgetSubjects() {
        subjectsByRef.clear();
        subjectsById.clear();
    }

    /** Marks the subject's key destroyed here at once; other replicas notice within the cache TTL. */
    Optional<Long> shred(String subjectId) {
        byte[] ref = subjectRef(subjectId);
        SubjectKey cached = subjectsByRef.remove(HexFormat.of().formatHex(ref));
        byte[] unlinked = new byte[ref.length];
        random.nextBytes(unlinked);
        Optional<Long> id = store.shred(ref, unlinked, clock.millis());
        id.ifPresent(i -> tombstone(i));
        if (cached != null) tombstone(cached.id());
        return id;
    }

    /** Destroys a subject key by its id; true when a live key was destroyed. */
    boolean shredKey(long keyId) {
        byte[] unlinked = new byte[32];
        random.nextBytes(unlinked);
        boolean done = store.shredById(keyId, unlinked, clock.millis());
        subjectsByRef.values().removeIf(k -> k.id() == keyId);
        tombstone(keyId);
        return done;
    }

    private void tombstone(long id) {
        SubjectKey old = subjectsById.put(id, new SubjectKey(id, null, clock.millis()));
        if (old != null && old.key() != null) old.key().destroy();
    }

    private byte[] subjectRef(String subjectId) {
        if (subjectId == null || subjectId.isEmpty()) throw new IllegalArgumentException("a subject id is required");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(subjectRefKey, "HmacSHA256"));
            return mac.doFinal(subjectId.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hkdf(AesKey key, String info) {
        try {
            return KDF.getInstance("HKDF-SHA256").deriveData(HKDFParameterSpec.ofExtract().addIKM(key)
                    .thenExpand(info.getBytes(StandardCharsets.US_ASCII), 32));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    void destroy() {
        root.destroy();
        java.util.Arrays.fill(subjectRefKey, (byte) 0);
        for (AesKey k : keyring.keys().values()) k.destroy();
        keyring = new Keyring(Map.of(), 0);
        for (SubjectKey k : subjectsById.values()) if (k.key() != null) k.key().destroy();
        subjectsById.clear();
        subjectsByRef.clear();
    }
}
